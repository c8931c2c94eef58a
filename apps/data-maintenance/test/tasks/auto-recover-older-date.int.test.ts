import { nyseCalendar } from '@scanner/market-calendar';
import { encodeMarketSnapshot } from '@scanner/redis-keys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/cycle/run-cycle.js';
import { syntheticSymbols } from '../../src/sources/synthetic/universe.js';
import { autoRecoverMissingTickers } from '../../src/tasks/auto-recover-missing-tickers.js';
import { type Harness, createHarness, standAt } from '../support/maintenance-harness.js';

const OLDER = '2026-11-19';
const NEWER = '2026-11-20';
const symbols = syntheticSymbols(6);
const RECOVERED = symbols[5] as string;

const averagesOf = async (h: Harness, symbol: string) =>
  (
    await h.db.pool.query<{ slot_number: number; avg_volume: number; sessions: number; as_of: string }>(
      'SELECT slot_number, avg_volume, sessions, as_of::text AS as_of FROM volume_slot_averages WHERE symbol = $1 ORDER BY slot_number',
      [symbol],
    )
  ).rows;

/**
 * The same guard as calculate_rvol_averages: volume_slot_averages (and rvol:hist:avg:*) hold the newest
 * session's baseline, so recovering a ticker while re-running an older date must not put an older
 * baseline in for it.
 */
describe('auto_recover_missing_tickers on an older date', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ universeSize: 6, evening: NEWER });
    // Full cycles up to OLDER (last_run = OLDER), then NEWER's averages only: the table and the RVOL keys
    // hold NEWER's baseline while last_run still says OLDER, so the Redis currency check alone lets an
    // OLDER run write the caches. The averages guard has to stop it.
    for (const date of nyseCalendar.lastSessions(6, OLDER)) {
      standAt(h.clock, date);
      expect((await runCycle(h.deps, { date, tasks: null, trigger: 'test' })).succeeded).toBe(true);
    }
    standAt(h.clock, NEWER);
    const newer = await runCycle(h.deps, {
      date: NEWER,
      tasks: ['load_ohlc', 'load_volume_slots', 'calculate_atr', 'calculate_rvol_averages'],
      trigger: 'test',
    });
    expect(newer.succeeded).toBe(true);
    expect(await h.redis.get(h.keys.maintenanceLastRun)).toBe(OLDER);
  }, 60_000);
  afterEach(async () => {
    await h.close();
  });

  it('recovers the ticker but leaves the newer baseline of it in the table and in Redis', async () => {
    // The ticker dropped out of the universe and upstream sees it live again.
    await h.db.pool.query('UPDATE ticker_metadata SET active = false WHERE symbol = $1', [RECOVERED]);
    const tickers = symbols.map((ticker) => ({ ticker, price: 10 }));
    await h.redis.set(h.keys.enrichedSnapshot, encodeMarketSnapshot({ count: tickers.length, tickers, timestamp: '2026-11-20T20:59:00Z' }));
    const tableBefore = await averagesOf(h, RECOVERED);
    const cacheBefore = await h.redis.hgetall(h.keys.rvolHistAvg(RECOVERED));
    expect(tableBefore).toHaveLength(78);
    expect(tableBefore.every((r) => r.as_of === NEWER)).toBe(true);
    expect(Object.keys(cacheBefore)).toHaveLength(78);

    const result = await autoRecoverMissingTickers(h.ctx, OLDER);

    expect(result).toMatchObject({
      status: 'completed',
      counts: { candidates: 1, recovered: 1, rvol_symbols: 1 },
      details: {
        recovered: [RECOVERED],
        averages_stored: { written: false, reason: `volume_slot_averages holds the baseline of the newer session ${NEWER}` },
      },
    });
    expect(await averagesOf(h, RECOVERED)).toEqual(tableBefore);
    const asOf = await h.db.pool.query<{ as_of: string }>('SELECT DISTINCT as_of::text AS as_of FROM volume_slot_averages');
    expect(asOf.rows).toEqual([{ as_of: NEWER }]);
    expect(await h.redis.hgetall(h.keys.rvolHistAvg(RECOVERED))).toEqual(cacheBefore);
    // The rest of the recovery still happened: the ticker is active again, with the older session's slots.
    const meta = await h.db.pool.query<{ active: boolean }>('SELECT active FROM ticker_metadata WHERE symbol = $1', [RECOVERED]);
    expect(meta.rows).toEqual([{ active: true }]);
    expect(result.counts['volume_slot_rows']).toBe(78);
  });

  it('on the newest date it still stores the recovered ticker averages', async () => {
    await h.db.pool.query('UPDATE ticker_metadata SET active = false WHERE symbol = $1', [RECOVERED]);
    await h.db.pool.query('DELETE FROM volume_slot_averages WHERE symbol = $1', [RECOVERED]);
    const tickers = [{ ticker: RECOVERED, price: 10 }];
    await h.redis.set(h.keys.enrichedSnapshot, encodeMarketSnapshot({ count: 1, tickers, timestamp: '2026-11-20T20:59:00Z' }));

    const result = await autoRecoverMissingTickers(h.ctx, NEWER);

    expect(result).toMatchObject({ status: 'completed', counts: { recovered: 1, rvol_symbols: 1 }, details: { averages_stored: { written: true } } });
    const rows = await averagesOf(h, RECOVERED);
    expect(rows).toHaveLength(78);
    expect(rows.every((r) => r.as_of === NEWER && r.sessions === 5)).toBe(true);
  });
});
