import { nyseCalendar } from '@scanner/market-calendar';
import { decodeAtrData, decodeTickerMetadata, encodeMarketSnapshot } from '@scanner/redis-keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/cycle/run-cycle.js';
import { SyntheticMarketDataSource } from '../../src/sources/synthetic/synthetic-source.js';
import { syntheticSymbols } from '../../src/sources/synthetic/universe.js';
import { syncRedis } from '../../src/tasks/sync-redis.js';
import { type Harness, createHarness, standAt } from '../support/maintenance-harness.js';

const LAST = '2026-11-20';
// 20 sessions: enough history (15 bars) for an ATR at the end.
const dates = nyseCalendar.lastSessions(20, LAST);
const symbols = syntheticSymbols(10);
const [S0, S1] = symbols as [string, string];
const DELISTED = symbols[8] as string;
const LISTS_TOMORROW = symbols[9] as string;

/**
 * A universe that changes: one ticker stops trading after the third session (delisted), one is not
 * trading yet but is already in upstream's live snapshot (it lists on the next session), and the
 * snapshot also carries a symbol the source does not know. Each session runs at its own evening, as
 * the schedule would, so every run writes the caches.
 */
describe('the universe over sessions: auto-recovery and sync_redis', () => {
  let h: Harness;
  const results: Awaited<ReturnType<typeof runCycle>>[] = [];
  beforeAll(async () => {
    const source = new SyntheticMarketDataSource({
      universeSize: 10,
      seed: 9,
      listings: { [DELISTED]: { delistedAfter: dates[2] as string }, [LISTS_TOMORROW]: { listedOn: '2026-11-23' } },
    });
    h = await createHarness({ source });
    for (const date of dates) {
      standAt(h.clock, date);
      if (date === LAST) {
        const tickers = [...symbols.slice(0, 8), LISTS_TOMORROW, 'NOPE'].map((ticker) => ({ ticker, price: 10 }));
        await h.redis.set(h.keys.enrichedSnapshot, encodeMarketSnapshot({ count: tickers.length, tickers, timestamp: '2026-11-20T20:59:00Z' }));
      }
      results.push(await runCycle(h.deps, { date, tasks: null, trigger: 'test' }));
    }
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('every session completed', () => {
    expect(results.map((r) => r.succeeded)).toEqual(dates.map(() => true));
  });

  it('recovers the live ticker missing from the universe, and names the one the source does not know', () => {
    const recovered = results.at(-1)?.results.get('auto_recover_missing_tickers');
    expect(recovered).toMatchObject({
      status: 'completed',
      counts: { candidates: 2, recovered: 1, not_found: 1 },
      skipped: { not_found_at_source: ['NOPE'] },
      details: { recovered: [LISTS_TOMORROW] },
    });
  });

  it('the universe is the active symbols: the delisted one out, the recovered one in', async () => {
    expect((await h.redis.smembers(h.keys.tickerUniverse)).sort()).toEqual([...symbols.slice(0, 8), LISTS_TOMORROW].sort());
    const meta = await h.db.pool.query<{ symbol: string; active: boolean; first_seen: string; last_seen: string }>(
      'SELECT symbol, active, first_seen::text AS first_seen, last_seen::text AS last_seen FROM ticker_metadata WHERE symbol = ANY($1) ORDER BY symbol',
      [[DELISTED, LISTS_TOMORROW]],
    );
    expect(meta.rows).toEqual(
      [
        { symbol: DELISTED, active: false, first_seen: dates[0], last_seen: dates[2] },
        { symbol: LISTS_TOMORROW, active: true, first_seen: LAST, last_seen: LAST },
      ].sort((a, b) => a.symbol.localeCompare(b.symbol)),
    );
    expect(decodeTickerMetadata(await h.redis.get(h.keys.tickerMetadata(LISTS_TOMORROW))).ok).toBe(true);
  });

  it('removed every key of the ticker that left the universe', async () => {
    for (const key of [h.keys.atrData(DELISTED), h.keys.rvolHistAvg(DELISTED), h.keys.tickerMetadata(DELISTED)]) {
      expect(await h.redis.exists(key)).toBe(0);
    }
    const removal = results.find((r) => (r.results.get('sync_redis')?.counts['removed'] ?? 0) > 0);
    expect(removal?.results.get('sync_redis')?.details['removed']).toMatchObject({ tickerMetadata: [DELISTED] });
  });

  it('repairs per-ticker keys that went missing, from the database', async () => {
    await h.redis.del(h.keys.atrData(S0), h.keys.tickerMetadata(S1));
    const result = await syncRedis(h.ctx, LAST);
    expect(result).toMatchObject({ status: 'completed', counts: { repaired_atr: 1, repaired_metadata: 1, repaired_rvol: 0, removed: 0 } });
    const atr = await h.db.pool.query<{ atr: number; atr_percent: number }>("SELECT atr, atr_percent FROM latest_atr WHERE symbol = $1", [S0]);
    expect(decodeAtrData(await h.redis.hgetall(h.keys.atrData(S0)))).toEqual({
      ok: true,
      value: { atr: atr.rows[0]?.atr, atr_percent: atr.rows[0]?.atr_percent, date: LAST },
    });
    expect(await h.redis.ttl(h.keys.atrData(S0))).toBeGreaterThan(0);
    expect(decodeTickerMetadata(await h.redis.get(h.keys.tickerMetadata(S1))).ok).toBe(true);
  });
});
