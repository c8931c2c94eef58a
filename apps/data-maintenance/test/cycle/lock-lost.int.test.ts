import { Redis } from 'ioredis';
import { nyseCalendar } from '@scanner/market-calendar';
import { MAINTENANCE_TASKS, type MaintenanceTaskName } from '@scanner/shared-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backfillCommand } from '../../src/cli/commands/backfill-command.js';
import { runCli } from '../../src/cli/run-cli.js';
import { latestRunForDate } from '../../src/db/run-ledger.js';
import { scanKeys } from '../../src/redis/scan-keys.js';
import { CYCLE_TASKS, type Task, type TaskContext } from '../../src/tasks/index.js';
import { collectOutput } from '../support/collect-output.js';
import { type Harness, TEST_REDIS_URL, createHarness } from '../support/maintenance-harness.js';

const DATE = '2026-11-20';

/**
 * The real tasks, recording which ones were called and running `after[task]` once a task has done its
 * work: the lease is lost exactly at that task boundary, with no timing involved.
 */
function instrumentedTasks(after: Partial<Record<MaintenanceTaskName, () => Promise<unknown>>>) {
  const calls: MaintenanceTaskName[] = [];
  const tasks = {} as Record<MaintenanceTaskName, Task<TaskContext>>;
  for (const name of MAINTENANCE_TASKS) {
    tasks[name] = async (ctx, date) => {
      calls.push(name);
      const result = await CYCLE_TASKS[name](ctx, date);
      await after[name]?.();
      return result;
    };
  }
  return { calls, tasks };
}

const statusOf = async (h: Harness, date: string) =>
  JSON.parse((await h.redis.get(h.keys.maintenanceStatus(date))) ?? 'null') as {
    all_success: boolean;
    completed_at: string | null;
    tasks: Record<string, { status: string; reason?: string }>;
  } | null;

const countRows = async (h: Harness, table: string) => (await h.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n;

describe('losing the runner lock mid-run', () => {
  let h: Harness;
  let other: Redis;
  beforeEach(async () => {
    h = await createHarness({ universeSize: 6, evening: DATE });
    other = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
  });
  afterEach(async () => {
    other.disconnect();
    await h.close();
  });

  it.each([
    ['taken by another runner', (h: Harness) => other.set(h.keys.maintenanceLock, 'another-runner', 'PX', 60_000), 'another-runner'],
    ['deleted', (h: Harness) => other.del(h.keys.maintenanceLock), null],
  ])('the lock %s after calculate_atr: the later tasks never run, the run is recorded as stopped, exit 1', async (_how, lose, holderAfter) => {
    const { calls, tasks } = instrumentedTasks({ calculate_atr: () => lose(h) });
    const out = collectOutput();
    const errors: string[] = [];
    const code = await runCli({
      argv: ['run', '--date', DATE],
      env: { MARKET_DATA_SOURCE: 'synthetic', PGSCHEMA: h.db.schema, REDIS_KEY_PREFIX: h.keys.prefix, LOG_LEVEL: 'silent' },
      clock: h.clock,
      calendar: nyseCalendar,
      out,
      errorLine: (text) => errors.push(text),
      open: async () => ({ deps: { ...h.deps, tasks }, close: async () => undefined }),
    });

    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/^error LOCK_LOST: run \d+ of 2026-11-20 stopped: the single-runner lock was lost/);
    const ran = MAINTENANCE_TASKS.slice(0, 3);
    const notRun = MAINTENANCE_TASKS.slice(3);
    expect(calls).toEqual(ran);

    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatchObject({ date: DATE, status: 'stopped', error_code: 'LOCK_LOST', stopped_before: 'calculate_rvol_averages', all_success: false });
    const printed = (out.lines[0] as { tasks: Record<string, { status: string }> }).tasks;
    expect(Object.entries(printed).map(([t, r]) => [t, r.status])).toEqual([
      ...ran.map((t) => [t, 'completed']),
      ...notRun.map((t) => [t, 'skipped']),
    ]);

    const run = await latestRunForDate(h.db.pool, DATE);
    expect(run?.status).toBe('failed');
    expect(run?.error).toMatch(/^LOCK_LOST: /);
    const rows = new Map(run?.taskRuns.map((t) => [t.task, t]));
    for (const t of ran) expect(rows.get(t)?.status).toBe('completed');
    for (const t of notRun) expect(rows.get(t)).toMatchObject({ status: 'skipped', error: expect.stringMatching(/^LOCK_LOST: /) });

    const status = await statusOf(h, DATE);
    expect(status?.all_success).toBe(false);
    expect(status?.completed_at).not.toBeNull();
    for (const t of notRun) expect(status?.tasks[t]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^LOCK_LOST: /) });
    expect(await h.redis.exists(h.keys.maintenanceExecuted(DATE))).toBe(0);
    expect(await h.redis.exists(h.keys.maintenanceLastRun)).toBe(0);

    // What the earlier tasks wrote is there; nothing the later ones write is.
    expect(await countRows(h, 'market_data_daily')).toBeGreaterThan(0);
    expect(await countRows(h, 'volume_slots')).toBe(6 * 78);
    expect(await countRows(h, 'volume_slot_averages')).toBe(0);
    expect(await countRows(h, 'ticker_metadata')).toBe(0);
    expect(await h.redis.exists(h.keys.tickerUniverse)).toBe(0);
    expect(await scanKeys(h.redis, `${h.keys.prefix}rvol:*`)).toEqual([]);
    expect(await scanKeys(h.redis, `${h.keys.prefix}metadata:*`)).toEqual([]);
    // The runner never deletes a lock that is no longer its own.
    expect(await h.redis.get(h.keys.maintenanceLock)).toBe(holderAfter);
  });

  it('a backfill whose lock is lost after a date last task: that date is not a success, the later dates never start', async () => {
    const dates = nyseCalendar.sessionsBetween('2026-11-17', '2026-11-19');
    const { calls, tasks } = instrumentedTasks({ sync_redis: () => other.set(h.keys.maintenanceLock, 'another-runner', 'PX', 60_000) });
    const out = collectOutput();

    await expect(
      backfillCommand({ ...h.deps, tasks }, { dates, tasks: null, force: false, continueOnError: true }, out),
    ).rejects.toMatchObject({ name: 'RunStoppedError', code: 'LOCK_LOST' });

    expect(calls).toEqual([...MAINTENANCE_TASKS]);
    expect(out.lines).toEqual([
      expect.objectContaining({ date: dates[0], status: 'stopped', error_code: 'LOCK_LOST', stopped_before: null }),
      expect.objectContaining({ backfill: 'stopped', error_code: 'LOCK_LOST', completed: 0, failed: 1, not_run: 2 }),
    ]);
    // Every task had completed, but another runner may have written meanwhile: not a success anywhere.
    const run = await latestRunForDate(h.db.pool, dates[0] as string);
    expect(run).toMatchObject({ status: 'failed', error: expect.stringMatching(/^LOCK_LOST: /) });
    expect((await statusOf(h, dates[0] as string))?.all_success).toBe(false);
    expect(await h.redis.exists(h.keys.maintenanceExecuted(dates[0] as string))).toBe(0);
    expect(await h.redis.exists(h.keys.maintenanceLastRun)).toBe(0);
    const later = await h.db.pool.query('SELECT date FROM maintenance_runs WHERE date > $1', [dates[0]]);
    expect(later.rows).toEqual([]);
  });
});
