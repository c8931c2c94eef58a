import { nyseCalendar } from '@scanner/market-calendar';
import { MAINTENANCE_TASKS, type MaintenanceTaskName } from '@scanner/shared-types';
import { encodeMarketSnapshot } from '@scanner/redis-keys';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/cycle/run-cycle.js';
import type { ControlPort } from '../../src/http/control-port.js';
import { type ControlServer, startControlServer } from '../../src/http/control-server.js';
import { redisLockHolders } from '../../src/metrics/lock-holders.js';
import { type MaintenanceMetrics, createMaintenanceMetrics } from '../../src/metrics/maintenance-metrics.js';
import { acquireRunnerLock } from '../../src/redis/runner-lock.js';
import { syntheticSymbols } from '../../src/sources/synthetic/universe.js';
import type { TaskResult } from '../../src/tasks/task-result.js';
import { type Harness, createHarness, standAt } from '../support/maintenance-harness.js';
import { type Sample, parsePrometheusText, samplesOf, valueOf } from '../support/prometheus-text.js';

const UNIVERSE = 8;
const symbols = syntheticSymbols(UNIVERSE);
const DATE = '2026-11-20';

/** The control port is not under test here: the metrics behind /metrics are. */
const idleControl: ControlPort = {
  health: async () => ({ ok: true, checks: {} }),
  status: async () => ({}),
  trigger: async () => ({ accepted: false, code: 'SHUTTING_DOWN', message: 'not in this test' }),
};

describe('GET /metrics against the real Redis and PostgreSQL', () => {
  let h: Harness;
  let metrics: MaintenanceMetrics;
  let server: ControlServer;
  beforeEach(async () => {
    h = await createHarness({ universeSize: UNIVERSE, evening: DATE, settings: { atrPeriod: 3 } });
    metrics = createMaintenanceMetrics({ readLockHolders: redisLockHolders(h.redis, h.keys) });
    server = await startControlServer({ host: '127.0.0.1', port: 0, token: null, control: idleControl, metrics, logger: pino({ level: 'silent' }) });
  });
  afterEach(async () => {
    try {
      await server.close();
    } finally {
      await h.close();
    }
  });

  const scrape = async (): Promise<Sample[]> => parsePrometheusText(await (await fetch(`${server.url}/metrics`)).text());
  const count = async (sql: string, params: unknown[] = []) => (await h.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]?.n;
  const feed = (results: ReadonlyMap<MaintenanceTaskName, TaskResult>) => {
    for (const [task, result] of results) metrics.taskFinished(task, result, 1);
  };

  it('maintenance_lock_holder names the holder of each runner lock while it holds it', async () => {
    expect(samplesOf(await scrape(), 'maintenance_lock_holder')).toEqual([]);

    const data = await acquireRunnerLock(h.redis, h.keys.maintenanceLock, 'host-a-101-cycle', { leaseMs: 60_000 });
    expect(samplesOf(await scrape(), 'maintenance_lock_holder')).toEqual([
      { name: 'maintenance_lock_holder', labels: { lock: 'data', holder: 'host-a-101-cycle' }, value: 1 },
    ]);
    const newDay = await acquireRunnerLock(h.redis, h.keys.maintenanceNewDayLock, 'host-b-202-announce', { leaseMs: 60_000 });
    let samples = await scrape();
    expect(samplesOf(samples, 'maintenance_lock_holder')).toHaveLength(2);
    expect(valueOf(samples, 'maintenance_lock_holder', { lock: 'new_day', holder: 'host-b-202-announce' })).toBe(1);

    await data.release();
    samples = await scrape();
    expect(samplesOf(samples, 'maintenance_lock_holder')).toEqual([
      { name: 'maintenance_lock_holder', labels: { lock: 'new_day', holder: 'host-b-202-announce' }, value: 1 },
    ]);
    await newDay.release();
    expect(samplesOf(await scrape(), 'maintenance_lock_holder')).toEqual([]);

    // A holder that died: its lease lapses in Redis, and the series goes with it.
    await h.redis.set(h.keys.maintenanceLock, 'host-dead-7-x', 'PX', 200);
    expect(valueOf(await scrape(), 'maintenance_lock_holder', { lock: 'data', holder: 'host-dead-7-x' })).toBe(1);
    while ((await h.redis.exists(h.keys.maintenanceLock)) === 1) await new Promise((r) => setTimeout(r, 50));
    expect(samplesOf(await scrape(), 'maintenance_lock_holder')).toEqual([]);
  });

  it('rows and keys written, as the task results report them, are what the database and Redis hold', async () => {
    const sessions = nyseCalendar.lastSessions(7, DATE);
    let last: ReadonlyMap<MaintenanceTaskName, TaskResult> = new Map();
    for (const date of sessions) {
      standAt(h.clock, date);
      const outcome = await runCycle(h.deps, { date, tasks: null, trigger: 'test' });
      expect(outcome.succeeded).toBe(true);
      last = outcome.results;
    }
    feed(last);
    let samples = await scrape();
    const rows = (task: string) => valueOf(samples, 'maintenance_rows_written_total', { task });
    const keys = (task: string) => valueOf(samples, 'maintenance_keys_written_total', { task });
    const previous = nyseCalendar.previousTradingDay(DATE);
    const closeIso = nyseCalendar.session(DATE).marketClose.toISOString();

    expect(rows('load_ohlc')).toBe(await count('market_data_daily WHERE date IN ($1, $2)', [DATE, previous]));
    expect(rows('load_ohlc')).toBeGreaterThan(UNIVERSE);
    expect(rows('load_volume_slots')).toBe(await count('volume_slots WHERE date = $1', [DATE]));
    expect(rows('calculate_atr')).toBe(await count('atr_daily WHERE date = $1', [DATE]));
    expect(rows('calculate_rvol_averages')).toBe(await count('volume_slot_averages'));
    expect(await count('ticker_metadata WHERE NOT active')).toBe(0);
    expect(rows('enrich_metadata')).toBe(await count('ticker_metadata WHERE last_seen = $1', [DATE]));
    expect(rows('auto_recover_missing_tickers')).toBe(0);
    expect(rows('sync_redis')).toBe(0);

    // Keys of this run: ATR dated DATE, metadata updated at DATE's close, every RVOL key (the set is replaced).
    const atrKeys = (await Promise.all(symbols.map((s) => h.redis.hget(h.keys.atrData(s), 'date')))).filter((d) => d === DATE);
    const metadataKeys = (await Promise.all(symbols.map((s) => h.redis.get(h.keys.tickerMetadata(s))))).filter(
      (v) => v !== null && (JSON.parse(v) as { updated_at: string }).updated_at === closeIso,
    );
    const rvolKeys = await Promise.all(symbols.map((s) => h.redis.exists(h.keys.rvolHistAvg(s))));
    expect(keys('calculate_atr')).toBe(atrKeys.length);
    expect(keys('calculate_atr')).toBeGreaterThan(0);
    expect(keys('enrich_metadata')).toBe(metadataKeys.length);
    expect(keys('calculate_rvol_averages')).toBe(rvolKeys.reduce((a, b) => a + b, 0));
    expect(keys('load_ohlc') + keys('load_volume_slots')).toBe(0);
    // Nothing was missing for sync_redis to repair: the universe set alone.
    expect(keys('sync_redis')).toBe(await h.redis.exists(h.keys.tickerUniverse));

    // A ticker back in the snapshot after dropping out (auto-recovery), and two metadata keys lost (sync_redis repairs them).
    const [recovered, lostA, lostB] = [symbols[7], symbols[1], symbols[2]] as [string, string, string];
    await h.db.pool.query('UPDATE ticker_metadata SET active = false WHERE symbol = $1', [recovered]);
    const tickers = symbols.map((ticker) => ({ ticker, price: 10 }));
    await h.redis.set(h.keys.enrichedSnapshot, encodeMarketSnapshot({ count: tickers.length, tickers, timestamp: '2026-11-20T20:59:00Z' }));
    await h.redis.del(h.keys.tickerMetadata(lostA), h.keys.tickerMetadata(lostB));
    const before = await scrape();
    const again = await runCycle(h.deps, { date: DATE, tasks: ['auto_recover_missing_tickers', 'sync_redis'], trigger: 'test' });
    expect(again.succeeded).toBe(true);
    expect(again.results.get('auto_recover_missing_tickers')?.counts).toMatchObject({ recovered: 1 });
    feed(again.results);
    samples = await scrape();
    const added = (name: string, task: string) => valueOf(samples, name, { task }) - valueOf(before, name, { task });

    const recoveredRows =
      1 +
      ((await count('volume_slots WHERE date = $1 AND symbol = $2', [DATE, recovered])) ?? 0) +
      ((await count('atr_daily WHERE date = $1 AND symbol = $2', [DATE, recovered])) ?? 0) +
      ((await count('volume_slot_averages WHERE symbol = $1', [recovered])) ?? 0);
    expect(added('maintenance_rows_written_total', 'auto_recover_missing_tickers')).toBe(recoveredRows);
    expect(recoveredRows).toBeGreaterThan(1 + 78);
    const recoveredKeys = await h.redis.exists(h.keys.tickerMetadata(recovered), h.keys.atrData(recovered), h.keys.rvolHistAvg(recovered));
    expect(added('maintenance_keys_written_total', 'auto_recover_missing_tickers')).toBe(recoveredKeys);
    expect(recoveredKeys).toBe(3);
    expect(await h.redis.exists(h.keys.tickerMetadata(lostA), h.keys.tickerMetadata(lostB))).toBe(2);
    expect(added('maintenance_keys_written_total', 'sync_redis')).toBe(1 + 2);
    for (const task of MAINTENANCE_TASKS) {
      expect(valueOf(samples, 'maintenance_task_runs_total', { task, status: 'completed' })).toBe(
        task === 'auto_recover_missing_tickers' || task === 'sync_redis' ? 2 : 1,
      );
    }
  }, 60_000);
});
