import { nyseCalendar } from '@scanner/market-calendar';
import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands/run-command.js';
import { CycleError, runCycle } from '../../src/cycle/run-cycle.js';
import { createRun, finishTask, latestRunForDate, startTask } from '../../src/db/run-ledger.js';
import { loadOhlc } from '../../src/tasks/load-ohlc.js';
import { collectOutput } from '../support/collect-output.js';
import { type Harness, createHarness, standAt } from '../support/maintenance-harness.js';

const statusOf = async (h: Harness, date: string) =>
  JSON.parse((await h.redis.get(h.keys.maintenanceStatus(date))) ?? 'null') as {
    all_success: boolean;
    completed_at: string | null;
    tasks: Record<string, { status: string; reason?: string; attempt?: number }>;
  } | null;

describe('the cycle', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ universeSize: 6, evening: '2026-11-20' });
  });
  afterEach(async () => {
    await h.close();
  });

  it('refuses a holiday: no run, no ledger row, no status key', async () => {
    standAt(h.clock, '2026-11-26');
    await expect(runCycle(h.deps, { date: '2026-11-26', tasks: null, trigger: 'test' })).rejects.toMatchObject({
      name: 'CycleError',
      code: 'NOT_A_TRADING_DAY',
    });
    await expect(runCycle(h.deps, { date: '2026-11-22', tasks: null, trigger: 'test' })).rejects.toBeInstanceOf(CycleError);
    expect((await h.db.pool.query('SELECT * FROM maintenance_runs')).rows).toEqual([]);
    expect(await h.redis.exists(h.keys.maintenanceStatus('2026-11-26'))).toBe(0);
  });

  it('an early-close day gets 42 slots per symbol, the last ending at 13:00 New York', async () => {
    standAt(h.clock, '2026-11-27', 17, 30);
    // The sessions before it first: RVOL on an early-close day averages the full sessions before it.
    for (const date of nyseCalendar.sessionsBetween('2026-11-18', '2026-11-25')) {
      expect((await runCycle(h.deps, { date, tasks: null, trigger: 'test' })).succeeded).toBe(true);
    }
    const outcome = await runCycle(h.deps, { date: '2026-11-27', tasks: null, trigger: 'test' });
    expect(outcome.succeeded).toBe(true);
    expect(outcome.results.get('load_volume_slots')).toMatchObject({ counts: { slots_per_symbol: 42, rows: 6 * 42 }, details: { early_close: true } });
    const res = await h.db.pool.query<{ symbol: string; n: number; last: Date }>(
      "SELECT symbol, count(*)::int AS n, max(slot_time) AS last FROM volume_slots WHERE date = '2026-11-27' GROUP BY symbol",
    );
    expect(res.rows).toHaveLength(6);
    for (const row of res.rows) expect(row).toMatchObject({ n: 42, last: new Date('2026-11-27T18:00:00Z') });
  });

  it('writes the status record, maintenance:executed and last_run, which never moves backwards', async () => {
    const outcome = await runCycle(h.deps, { date: '2026-11-20', tasks: null, trigger: 'test' });
    expect(outcome).toMatchObject({ succeeded: true, allSuccess: true, resumedFrom: null });
    const status = await statusOf(h, '2026-11-20');
    expect(status?.all_success).toBe(true);
    expect(Object.keys(status?.tasks ?? {})).toEqual([...MAINTENANCE_TASKS]);
    expect(await h.redis.get(h.keys.maintenanceExecuted('2026-11-20'))).toBe('1');
    expect(await h.redis.get(h.keys.maintenanceLastRun)).toBe('2026-11-20');

    standAt(h.clock, '2026-11-21', 9);
    const older = await runCycle(h.deps, { date: '2026-11-19', tasks: null, trigger: 'test' });
    expect(older.succeeded).toBe(true);
    expect(await h.redis.get(h.keys.maintenanceLastRun)).toBe('2026-11-20');
    // An older session's run writes the database, not the caches that hold a newer one.
    expect(older.results.get('calculate_atr')?.details).toMatchObject({ redis: { written: false } });
    expect(await h.redis.get(h.keys.maintenanceExecuted('2026-11-19'))).toBe('1');
  });

  it('skips a task whose input failed, says why, and does not mark the day executed', async () => {
    // RVOL on a date whose slots were never loaded fails for real; sync_redis then must not run on it.
    const first = await runCycle(h.deps, { date: '2026-11-20', tasks: ['calculate_rvol_averages'], trigger: 'test' });
    expect(first.succeeded).toBe(false);
    expect(first.results.get('calculate_rvol_averages')?.reason).toContain('no volume slots stored');
    const second = await runCycle(h.deps, { date: '2026-11-20', tasks: ['sync_redis'], trigger: 'test' });
    expect(second.results.get('sync_redis')).toMatchObject({ status: 'skipped', reason: 'input task calculate_rvol_averages failed' });
    expect(await h.redis.exists(h.keys.tickerUniverse)).toBe(0);
    const status = await statusOf(h, '2026-11-20');
    expect(status).toMatchObject({ all_success: false, tasks: { sync_redis: { status: 'skipped', reason: 'input task calculate_rvol_averages failed' } } });
    expect(await h.redis.exists(h.keys.maintenanceExecuted('2026-11-20'))).toBe(0);
    expect(await h.redis.exists(h.keys.maintenanceLastRun)).toBe(0);

    // The whole cycle afterwards resumes at the first task that did not complete (here: the first).
    const full = await runCycle(h.deps, { date: '2026-11-20', tasks: null, trigger: 'test' });
    expect(full).toMatchObject({ succeeded: true, allSuccess: true, resumedFrom: 'load_ohlc' });
    expect(await h.redis.get(h.keys.maintenanceExecuted('2026-11-20'))).toBe('1');
  });

  it('a failed re-run of a finished day removes maintenance:executed', async () => {
    await runCycle(h.deps, { date: '2026-11-20', tasks: null, trigger: 'test' });
    expect(await h.redis.get(h.keys.maintenanceExecuted('2026-11-20'))).toBe('1');
    // Wipe the slots underneath (as a bad manual fix would), then recompute RVOL: it fails for real.
    await h.db.pool.query('TRUNCATE volume_slots');
    const rerun = await runCycle(h.deps, { date: '2026-11-20', tasks: ['calculate_rvol_averages'], trigger: 'test' });
    expect(rerun.allSuccess).toBe(false);
    expect(await h.redis.exists(h.keys.maintenanceExecuted('2026-11-20'))).toBe(0);
  });

  it('after a crash, run resumes at the task that was running and redoes the ones after it', async () => {
    // A process ran load_ohlc, started load_volume_slots and died.
    const date = '2026-11-20';
    const crashed = await createRun(h.db.pool, { date, trigger: 'schedule', tasks: [...MAINTENANCE_TASKS], startedAt: h.clock.now() });
    await startTask(h.db.pool, crashed.runId, 'load_ohlc', h.clock.now());
    const loaded = await loadOhlc(h.ctx, date);
    await finishTask(h.db.pool, crashed.runId, 'load_ohlc', { status: 'completed', finishedAt: h.clock.now(), result: loaded });
    await startTask(h.db.pool, crashed.runId, 'load_volume_slots', h.clock.now());

    h.clock.advance(60_000);
    const out = collectOutput();
    expect(await runCommand(h.deps, { date, tasks: null }, out)).toBe(0);
    expect(out.lines[0]).toMatchObject({ date, status: 'completed', all_success: true, resumed_from: 'load_volume_slots' });
    expect(Object.keys((out.lines[0] as { tasks: object }).tasks)).toEqual(MAINTENANCE_TASKS.slice(1));

    const crashedRow = await h.db.pool.query<{ status: string }>('SELECT status FROM maintenance_runs WHERE run_id = $1', [crashed.runId]);
    expect(crashedRow.rows[0]?.status).toBe('interrupted');
    const latest = await latestRunForDate(h.db.pool, date);
    const byCycleOrder = [...(latest?.taskRuns ?? [])].sort((a, b) => MAINTENANCE_TASKS.indexOf(a.task as never) - MAINTENANCE_TASKS.indexOf(b.task as never));
    expect(byCycleOrder.map((t) => [t.task, t.status, t.attempt])).toEqual(
      MAINTENANCE_TASKS.slice(1).map((t) => [t, 'completed', t === 'load_volume_slots' ? 2 : 1]),
    );
    const status = await statusOf(h, date);
    expect(status?.all_success).toBe(true);
    expect(Object.keys(status?.tasks ?? {})).toEqual([...MAINTENANCE_TASKS]);
    expect(status?.tasks['load_ohlc']?.status).toBe('completed');
  });

  it('holds the runner lock: a second runner is refused while the first one runs', async () => {
    await h.redis.set(h.keys.maintenanceLock, 'someone-else', 'PX', 60_000);
    await expect(runCommand(h.deps, { date: '2026-11-20', tasks: null }, collectOutput())).rejects.toMatchObject({ code: 'LOCK_HELD' });
    expect((await h.db.pool.query('SELECT * FROM maintenance_runs')).rows).toEqual([]);
    await h.redis.del(h.keys.maintenanceLock);
    expect(await runCommand(h.deps, { date: '2026-11-20', tasks: null }, collectOutput())).toBe(0);
    expect(await h.redis.exists(h.keys.maintenanceLock)).toBe(0);
  });
});
