import { ManualClock, nyseCalendar } from '@scanner/market-calendar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands/run-command.js';
import { runCycle } from '../../src/cycle/run-cycle.js';
import { PolygonMarketDataSource } from '../../src/sources/polygon/polygon-source.js';
import { SyntheticMarketDataSource } from '../../src/sources/synthetic/synthetic-source.js';
import { collectOutput } from '../support/collect-output.js';
import { type FakePolygonData, type FakePolygonServer, startFakePolygonServer, syntheticPolygonData } from '../support/fake-polygon-server.js';
import { type Harness, createHarness } from '../support/maintenance-harness.js';
import { naiveSlots } from '../support/naive-expectations.js';

const DATE = '2026-11-20';
const MAX_RETRIES = 3;
const synthetic = new SyntheticMarketDataSource({ universeSize: 8, seed: 5 });
const [X, Y] = synthetic.symbols as [string, string];

/** The real Polygon client against the fake server serving the synthetic universe, end to end through the cycle. */
describe('Polygon faults through the cycle', () => {
  let server: FakePolygonServer;
  let h: Harness;
  let delays: number[];

  async function start(data: FakePolygonData = syntheticPolygonData(synthetic)) {
    server = await startFakePolygonServer({ data, apiKey: 'test-key' });
    const source = new PolygonMarketDataSource({
      apiKey: 'test-key',
      baseUrl: server.url,
      requestsPerSecond: 1000,
      concurrency: 4,
      timeoutMs: 2000,
      maxRetries: MAX_RETRIES,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      // Waits are recorded rather than slept: the test checks the delays asked for, not elapsed time.
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
      clock: new ManualClock(new Date('2026-11-20T23:00:00Z')),
    });
    h = await createHarness({ source, evening: DATE });
  }

  beforeEach(() => {
    delays = [];
  });
  afterEach(async () => {
    await h?.close();
    await server?.close();
  });

  it('retries 429 (honouring Retry-After), 5xx, truncated bodies and resets, and the day completes with all its data', async () => {
    await start();
    server.fault('grouped', [{ kind: 'status', status: 429, retryAfter: '7' }, { kind: 'status', status: 503 }], DATE);
    server.fault('aggs', [{ kind: 'status', status: 500 }, { kind: 'truncated' }, { kind: 'reset' }], X);
    server.fault('details', [{ kind: 'status', status: 429, retryAfter: '2' }, { kind: 'malformed' }], Y);

    const outcome = await runCycle(h.deps, { date: DATE, tasks: null, trigger: 'test' });
    expect([...outcome.results].map(([t, r]) => [t, r.status, r.reason])).toEqual([...outcome.results].map(([t]) => [t, 'completed', undefined]));
    expect(outcome.allSuccess).toBe(true);
    expect(server.pendingFaults()).toBe(0);
    expect(delays).toContain(7000);
    expect(delays).toContain(2000);

    // Nothing is missing: the rows are exactly the synthetic data the server served.
    const daily = await h.db.pool.query<{ symbol: string; close: number }>('SELECT symbol, close FROM market_data_daily WHERE date = $1 ORDER BY symbol', [DATE]);
    expect(daily.rows).toEqual((await synthetic.dailyBars(DATE)).map((b) => ({ symbol: b.symbol, close: b.close })).sort((a, b) => a.symbol.localeCompare(b.symbol)));
    const slots = await h.db.pool.query<{ v: number }>('SELECT volume_accumulated AS v FROM volume_slots WHERE date = $1 AND symbol = $2 ORDER BY slot_number', [DATE, X]);
    const bars = (await synthetic.intradayBars(DATE, [X])).values.get(X) ?? [];
    expect(slots.rows.map((r) => r.v)).toEqual(naiveSlots(nyseCalendar, DATE, bars));
    const metadata = await h.db.pool.query<{ name: string }>('SELECT name FROM ticker_metadata WHERE symbol = $1', [Y]);
    expect(metadata.rows[0]?.name).toBe((await synthetic.tickerDetails([Y])).values.get(Y)?.name);
  }, 60_000);

  it('fails load_volume_slots naming the ticker whose retries ran out, skips what reads it, and exits 1', async () => {
    await start();
    server.fault('aggs', Array.from({ length: MAX_RETRIES + 1 }, () => ({ kind: 'status', status: 502 }) as const), X);

    const out = collectOutput();
    expect(await runCommand(h.deps, { date: DATE, tasks: null }, out)).toBe(1);
    const summary = out.lines[0] as { status: string; all_success: boolean; tasks: Record<string, { status: string; reason?: string; failures?: Array<{ symbol: string; code: string; attempts: number }> }> };
    expect(summary).toMatchObject({ status: 'failed', all_success: false });
    const slots = summary.tasks['load_volume_slots'];
    expect(slots?.status).toBe('failed');
    expect(slots?.reason).toContain(X);
    expect(slots?.failures).toEqual([expect.objectContaining({ symbol: X, code: 'UPSTREAM_ERROR', attempts: MAX_RETRIES + 1 })]);
    expect(summary.tasks['calculate_rvol_averages']).toMatchObject({ status: 'skipped', reason: 'input task load_volume_slots failed' });
    expect(summary.tasks['sync_redis']).toMatchObject({ status: 'skipped', reason: 'input task calculate_rvol_averages skipped' });
    // Tasks that do not read the slots still ran on the day's bars.
    expect(summary.tasks['calculate_atr']?.status).toBe('completed');
    expect(summary.tasks['enrich_metadata']?.status).toBe('completed');

    // Never "success with missing data": the day is not executed, the status names the ticker, the caches were not synced.
    expect(await h.redis.exists(h.keys.maintenanceExecuted(DATE))).toBe(0);
    expect(await h.redis.get(h.keys.maintenanceStatus(DATE))).toContain(X);
    expect(await h.redis.exists(h.keys.tickerUniverse)).toBe(0);
    expect(await h.redis.exists(h.keys.maintenanceLastRun)).toBe(0);

    // Once the source answers again, the run resumes at the failed task and the day completes.
    const resumed = collectOutput();
    expect(await runCommand(h.deps, { date: DATE, tasks: null }, resumed)).toBe(0);
    expect(resumed.lines[0]).toMatchObject({ status: 'completed', all_success: true, resumed_from: 'load_volume_slots' });
    const count = await h.db.pool.query<{ n: number }>('SELECT count(DISTINCT symbol)::int AS n FROM volume_slots WHERE date = $1', [DATE]);
    expect(count.rows[0]?.n).toBe(8);
    expect(await h.redis.get(h.keys.maintenanceExecuted(DATE))).toBe('1');
  }, 60_000);

  it('fails load_ohlc when the grouped daily cannot be had, and every task after it is skipped', async () => {
    await start();
    server.fault('grouped', Array.from({ length: MAX_RETRIES + 1 }, () => ({ kind: 'status', status: 500 }) as const), DATE);
    const outcome = await runCycle(h.deps, { date: DATE, tasks: null, trigger: 'test' });
    const load = outcome.results.get('load_ohlc');
    expect(load?.status).toBe('failed');
    expect(load?.reason).toContain('UPSTREAM_ERROR');
    for (const task of ['load_volume_slots', 'calculate_atr', 'enrich_metadata']) {
      expect(outcome.results.get(task as never)).toMatchObject({ status: 'skipped', reason: 'input task load_ohlc failed' });
    }
    const rows = await h.db.pool.query('SELECT 1 FROM market_data_daily WHERE date = $1', [DATE]);
    expect(rows.rows).toEqual([]);
  }, 60_000);

  it('an empty grouped daily on a trading day is a failure, not "0 rows loaded"', async () => {
    const data = syntheticPolygonData(synthetic);
    await start({ ...data, grouped: (date) => (date === DATE ? Promise.resolve([]) : data.grouped(date)) });
    const outcome = await runCycle(h.deps, { date: DATE, tasks: ['load_ohlc'], trigger: 'test' });
    expect(outcome.results.get('load_ohlc')).toMatchObject({ status: 'failed', counts: { loaded: 0 } });
    expect(outcome.results.get('load_ohlc')?.reason).toContain('returned 0 bars for trading day 2026-11-20');
  }, 60_000);

  it('fails enrich_metadata naming the ticker whose details could not be had', async () => {
    await start();
    server.fault('details', Array.from({ length: MAX_RETRIES + 1 }, () => ({ kind: 'status', status: 429, retryAfter: '1' }) as const), Y);
    const outcome = await runCycle(h.deps, { date: DATE, tasks: null, trigger: 'test' });
    const enrich = outcome.results.get('enrich_metadata');
    expect(enrich).toMatchObject({ status: 'failed', counts: { failed: 1, enriched: 7 } });
    expect(enrich?.failures).toEqual([expect.objectContaining({ symbol: Y, code: 'RATE_LIMITED' })]);
    expect(outcome.results.get('auto_recover_missing_tickers')).toMatchObject({ status: 'skipped' });
    expect(outcome.results.get('sync_redis')).toMatchObject({ status: 'skipped', reason: 'input task enrich_metadata failed' });
  }, 60_000);
});
