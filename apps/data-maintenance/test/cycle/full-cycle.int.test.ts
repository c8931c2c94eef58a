import { calendarTtlSeconds, decodeAtrData, decodeRvolAverages, decodeTickerMetadata } from '@scanner/redis-keys';
import { nyseCalendar } from '@scanner/market-calendar';
import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillCommand } from '../../src/cli/commands/backfill-command.js';
import { atrOnDate } from '../../src/core/atr.js';
import { listPartitions } from '../../src/db/volume-slot-partitions.js';
import { scanKeys } from '../../src/redis/scan-keys.js';
import { SyntheticMarketDataSource } from '../../src/sources/synthetic/synthetic-source.js';
import { collectOutput } from '../support/collect-output.js';
import { type Harness, createHarness } from '../support/maintenance-harness.js';
import { naiveAverages, naiveSlots } from '../support/naive-expectations.js';

const SESSIONS = 120;
const UNIVERSE = 50;
const LAST = '2026-11-20';
const calendar = nyseCalendar;
const dates = calendar.lastSessions(SESSIONS, LAST);
const FIRST = dates[0] as string;
const BEFORE_FIRST = calendar.previousTradingDay(FIRST);

describe(`a backfill of ${SESSIONS} sessions over ${UNIVERSE} synthetic tickers`, () => {
  let h: Harness;
  let source: SyntheticMarketDataSource;
  let exitCode: number;
  let lines: unknown[];

  beforeAll(async () => {
    source = new SyntheticMarketDataSource({ universeSize: UNIVERSE, seed: 42 });
    h = await createHarness({ source, evening: LAST });
    const out = collectOutput();
    exitCode = await backfillCommand(h.deps, { dates, tasks: null, force: false, continueOnError: false }, out);
    lines = out.lines;
  }, 300_000);

  afterAll(async () => {
    await h?.close();
  });

  it('reports every date completed, one JSON line each plus a summary', () => {
    expect(exitCode).toBe(0);
    expect(lines).toHaveLength(SESSIONS + 1);
    expect(lines.slice(0, SESSIONS).map((l) => (l as { date: string; status: string }).status)).toEqual(dates.map(() => 'completed'));
    expect(lines[SESSIONS]).toMatchObject({ backfill: 'completed', dates: SESSIONS, completed: SESSIONS, failed: 0, failed_dates: [] });
  });

  it('market_data_daily holds exactly the source bars of every session (and the refreshed one before)', async () => {
    const res = await h.db.pool.query(
      'SELECT symbol, date::text AS date, open, high, low, close, volume, vwap, trades::float8 AS trades FROM market_data_daily ORDER BY date, symbol',
    );
    const expected = [];
    for (const date of [BEFORE_FIRST, ...dates]) {
      const bars = await source.dailyBars(date);
      expected.push(...[...bars].sort((a, b) => a.symbol.localeCompare(b.symbol)));
    }
    expect(res.rows).toHaveLength((SESSIONS + 1) * UNIVERSE);
    expect(res.rows).toEqual(expected.map((b) => ({ ...b })));
  });

  it('volume_slots has 78 slots per symbol and session, equal to the plain cumulative sums', async () => {
    const counts = await h.db.pool.query<{ date: string; rows: number; symbols: number }>(
      'SELECT date::text AS date, count(*)::int AS rows, count(DISTINCT symbol)::int AS symbols FROM volume_slots GROUP BY date ORDER BY date',
    );
    expect(counts.rows).toEqual(dates.map((date) => ({ date, rows: UNIVERSE * 78, symbols: UNIVERSE })));
    for (const date of dates.slice(-2)) {
      const intraday = await source.intradayBars(date, source.symbols);
      const res = await h.db.pool.query<{ symbol: string; slot_number: number; slot_time: Date; volume_accumulated: number }>(
        'SELECT symbol, slot_number, slot_time, volume_accumulated FROM volume_slots WHERE date = $1 ORDER BY symbol, slot_number',
        [date],
      );
      const open = calendar.session(date).marketOpen.getTime();
      const expected = [...source.symbols].sort().flatMap((symbol) =>
        naiveSlots(calendar, date, intraday.values.get(symbol) ?? []).map((v, slot) => ({
          symbol,
          slot_number: slot,
          slot_time: new Date(open + (slot + 1) * 300_000),
          volume_accumulated: v,
        })),
      );
      expect(res.rows).toEqual(expected);
    }
    // One partition per loaded day, plus the days ahead created before they are needed.
    const partitions = await listPartitions(h.db.pool);
    expect(partitions.map((p) => p.from)).toEqual([...dates, ...calendar.sessionsBetween(LAST, '2026-12-31').slice(1, 4)]);
  });

  it('atr_daily has an ATR from the 15th stored bar on, equal to ATR(14) over the source bars of the last 100 sessions', async () => {
    const perDate = await h.db.pool.query<{ date: string; n: number }>('SELECT date::text AS date, count(*)::int AS n FROM atr_daily GROUP BY date ORDER BY date');
    // The session before the first is loaded too (the previous-session refresh), so date i has i + 2 bars.
    expect(perDate.rows).toEqual(dates.slice(13).map((date) => ({ date, n: UNIVERSE })));
    for (const date of [dates[13] as string, dates[60] as string, LAST]) {
      const window = calendar.lastSessions(100, date).filter((d) => d >= BEFORE_FIRST);
      const history = new Map<string, { date: string; high: number; low: number; close: number }[]>();
      for (const d of window) for (const bar of await source.dailyBars(d)) history.set(bar.symbol, [...(history.get(bar.symbol) ?? []), bar]);
      const rows = await h.db.pool.query<{ symbol: string; atr: number; atr_percent: number }>(
        'SELECT symbol, atr, atr_percent FROM atr_daily WHERE date = $1 ORDER BY symbol',
        [date],
      );
      expect(rows.rows).toHaveLength(UNIVERSE);
      for (const row of rows.rows) {
        const outcome = atrOnDate(history.get(row.symbol) ?? [], date, 14);
        if (outcome.kind !== 'ok') throw new Error(`no expected ATR for ${row.symbol} ${date}`);
        expect(Math.abs(row.atr - outcome.atr)).toBeLessThan(1e-9);
        expect(Math.abs(row.atr_percent - outcome.atrPercent)).toBeLessThan(1e-9);
      }
    }
  });

  it('volume_slot_averages holds the last 5 sessions averaged, 78 slots per symbol', async () => {
    const window = dates.slice(-5);
    const perSymbol = new Map<string, number[][]>();
    for (const date of window) {
      const intraday = await source.intradayBars(date, source.symbols);
      for (const symbol of source.symbols) perSymbol.set(symbol, [...(perSymbol.get(symbol) ?? []), naiveSlots(calendar, date, intraday.values.get(symbol) ?? [])]);
    }
    const res = await h.db.pool.query<{ symbol: string; slot_number: number; avg_volume: number; sessions: number; as_of: string }>(
      'SELECT symbol, slot_number, avg_volume, sessions, as_of::text AS as_of FROM volume_slot_averages ORDER BY symbol, slot_number',
    );
    expect(res.rows).toHaveLength(UNIVERSE * 78);
    for (const row of res.rows) {
      const expected = naiveAverages(perSymbol.get(row.symbol) ?? [])[row.slot_number] as number;
      expect(row).toMatchObject({ sessions: 5, as_of: LAST });
      expect(Math.abs(row.avg_volume - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
    }
  });

  it('ticker_metadata has every ticker, active, with the source details and the session dates', async () => {
    const details = await source.tickerDetails(source.symbols);
    const res = await h.db.pool.query(
      `SELECT symbol, name, market_cap, sector, industry, float_shares, shares_outstanding, exchange, type, active,
              first_seen::text AS first_seen, last_seen::text AS last_seen, updated_at FROM ticker_metadata ORDER BY symbol`,
    );
    expect(res.rows).toEqual(
      [...source.symbols].sort().map((symbol) => {
        const d = details.values.get(symbol);
        if (!d) throw new Error(`no details for ${symbol}`);
        return {
          symbol,
          name: d.name,
          market_cap: d.marketCap,
          sector: d.sector,
          industry: d.industry,
          float_shares: d.floatShares,
          shares_outstanding: d.sharesOutstanding,
          exchange: d.exchange,
          type: d.type,
          active: true,
          first_seen: FIRST,
          last_seen: LAST,
          updated_at: calendar.session(LAST).marketClose,
        };
      }),
    );
  });

  it('the ledger has one completed run per date with every task completed', async () => {
    const res = await h.db.pool.query<{ date: string; status: string; tasks: number }>(
      `SELECT r.date::text AS date, r.status, count(*) FILTER (WHERE t.status = 'completed')::int AS tasks
       FROM maintenance_runs r JOIN maintenance_task_runs t USING (run_id) GROUP BY r.run_id ORDER BY r.date`,
    );
    expect(res.rows).toEqual(dates.map((date) => ({ date, status: 'completed', tasks: MAINTENANCE_TASKS.length })));
  });

  it('Redis holds exactly the per-ticker keys, the universe and the maintenance keys, with calendar TTLs', async () => {
    const all = await scanKeys(h.redis, `${h.keys.prefix}*`);
    expect(all).toHaveLength(3 * UNIVERSE + 1 + 2 * SESSIONS + 1);
    expect(await scanKeys(h.redis, h.keys.patterns.tmp)).toEqual([]);
    expect((await h.redis.smembers(h.keys.tickerUniverse)).sort()).toEqual([...source.symbols].sort());
    expect(await h.redis.ttl(h.keys.tickerUniverse)).toBe(-1);
    expect(await h.redis.get(h.keys.maintenanceLastRun)).toBe(LAST);

    // The values were written with the clock standing at 18:00 New York on LAST; Redis has counted
    // down for as long as the checks above took, which is well under a minute.
    const ttl = calendarTtlSeconds({ sessionDate: LAST, now: h.clock.now(), calendar });
    const atrRows = await h.db.pool.query<{ symbol: string; atr: number; atr_percent: number }>('SELECT symbol, atr, atr_percent FROM atr_daily WHERE date = $1', [LAST]);
    const averages = await h.db.pool.query<{ symbol: string; slot_number: number; avg_volume: number }>('SELECT symbol, slot_number, avg_volume FROM volume_slot_averages');
    const details = await source.tickerDetails(source.symbols);
    for (const symbol of source.symbols) {
      const atr = decodeAtrData(await h.redis.hgetall(h.keys.atrData(symbol)));
      const row = atrRows.rows.find((r) => r.symbol === symbol);
      expect(atr).toEqual({ ok: true, value: { atr: row?.atr, atr_percent: row?.atr_percent, date: LAST } });

      const rvol = decodeRvolAverages(await h.redis.hgetall(h.keys.rvolHistAvg(symbol)));
      const expectedRvol = new Map(averages.rows.filter((r) => r.symbol === symbol).map((r) => [r.slot_number, r.avg_volume]));
      expect(rvol.ok && [...rvol.value].sort(([a], [b]) => a - b)).toEqual([...expectedRvol].sort(([a], [b]) => a - b));
      expect(expectedRvol.size).toBe(78);

      const metadata = decodeTickerMetadata(await h.redis.get(h.keys.tickerMetadata(symbol)));
      const d = details.values.get(symbol);
      expect(metadata).toEqual({
        ok: true,
        value: {
          symbol,
          name: d?.name,
          market_cap: d?.marketCap,
          sector: d?.sector,
          industry: d?.industry,
          float_shares: d?.floatShares,
          shares_outstanding: d?.sharesOutstanding,
          exchange: d?.exchange,
          type: d?.type,
          updated_at: calendar.session(LAST).marketClose.toISOString(),
        },
      });
      for (const key of [h.keys.atrData(symbol), h.keys.rvolHistAvg(symbol), h.keys.tickerMetadata(symbol)]) {
        const left = await h.redis.ttl(key);
        expect(left).toBeLessThanOrEqual(ttl);
        expect(left).toBeGreaterThan(ttl - 60);
      }
    }
    // Friday's values outlive the weekend: still there at Monday's open and through Monday's run.
    expect(ttl).toBeGreaterThan((Date.parse('2026-11-23T22:00:00Z') - h.clock.now().getTime()) / 1000);

    for (const date of dates) {
      expect(await h.redis.get(h.keys.maintenanceExecuted(date))).toBe('1');
      const status = JSON.parse((await h.redis.get(h.keys.maintenanceStatus(date))) ?? 'null') as { all_success: boolean; tasks: Record<string, { status: string }> };
      expect(status.all_success).toBe(true);
      expect(Object.keys(status.tasks)).toEqual([...MAINTENANCE_TASKS]);
      expect(await h.redis.ttl(h.keys.maintenanceStatus(date))).toBe(-1);
    }
  });

  it('a second backfill over the range skips every completed date', async () => {
    const out = collectOutput();
    const code = await backfillCommand(h.deps, { dates: dates.slice(-10), tasks: null, force: false, continueOnError: false }, out);
    expect(code).toBe(0);
    expect(out.lines.slice(0, 10)).toEqual(dates.slice(-10).map((date) => ({ date, status: 'already_completed' })));
    const runs = await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM maintenance_runs');
    expect(runs.rows[0]?.n).toBe(SESSIONS);
  });
});
