import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CycleDeps } from '../../src/cycle/run-cycle.js';
import { withRunnerLock } from '../../src/cycle/with-runner-lock.js';
import { jobRunsBetween, startJobRun } from '../../src/db/job-runs.js';
import { runsBetween } from '../../src/db/run-ledger.js';
import { redisLockHolders } from '../../src/metrics/lock-holders.js';
import { createMaintenanceMetrics } from '../../src/metrics/maintenance-metrics.js';
import { type JobRunner, createJobRunner } from '../../src/service/job-runner.js';
import { type Harness, createHarness } from '../support/maintenance-harness.js';
import { gatedSource, ownClients, testConfig } from './service-fixture.js';

const DATE = '2026-11-20';

function runnerOn(deps: CycleDeps, stop = new AbortController().signal): JobRunner {
  const config = testConfig();
  const metrics = createMaintenanceMetrics({ readLockHolders: redisLockHolders(deps.redis, deps.keys) });
  return createJobRunner({ ...deps, newDay: config.newDay, newDayMinute: config.schedules.newDayMinute, leaseMs: 2000, metrics, stop });
}

describe('the job runner across two instances', () => {
  let h: Harness;
  let other: ReturnType<typeof ownClients>;
  let gate: ReturnType<typeof gatedSource>;
  beforeEach(async () => {
    h = await createHarness({ universeSize: 4, evening: DATE });
    gate = gatedSource(h.source);
    other = ownClients(h.deps, h.db.schema);
  });
  afterEach(async () => {
    gate.open();
    await other.close();
    await h.close();
  });

  it('refuses a job whose lock another instance holds, and does nothing once that instance has done it', async () => {
    const a = runnerOn({ ...h.deps, source: gate });
    const b = runnerOn(other.deps);
    const first = a.run({ job: 'daily_maintenance', date: DATE, trigger: 'schedule', once: true });
    await vi.waitFor(() => expect(gate.waiting()).toBe(true), { timeout: 10_000 });

    const holder = await h.redis.get(h.keys.maintenanceLock);
    expect(holder).not.toBeNull();
    expect(await b.run({ job: 'daily_maintenance', date: DATE, trigger: 'schedule', once: true })).toEqual({ status: 'lock_held', holder });
    expect(a.active().map((j) => [j.job, j.date, j.trigger])).toEqual([['daily_maintenance', DATE, 'schedule']]);

    gate.open();
    expect(await first).toMatchObject({ status: 'completed', detail: { all_success: true } });
    // The other instance takes the lock now, reads the ledger again and finds the run done.
    expect(await b.run({ job: 'daily_maintenance', date: DATE, trigger: 'catch_up', once: true })).toEqual({ status: 'already_done' });
    expect((await runsBetween(h.db.pool, DATE, DATE)).map((r) => [r.trigger, r.status])).toEqual([['schedule', 'completed']]);

    // The announcement has its own lock and ledger, with the same rule.
    expect(await a.run({ job: 'new_day', date: DATE, trigger: 'schedule', once: true })).toMatchObject({ status: 'completed', detail: { published: true } });
    expect(await b.run({ job: 'new_day', date: DATE, trigger: 'schedule', once: true })).toEqual({ status: 'already_done' });
    expect((await jobRunsBetween(h.db.pool, DATE, DATE)).map((j) => [j.job, j.trigger, j.status])).toEqual([['new_day', 'schedule', 'completed']]);
    expect(await h.redis.mget(h.keys.maintenanceLock, h.keys.maintenanceNewDayLock)).toEqual([null, null]);
  }, 30_000);

  it('a new holder of each lock marks interrupted only the rows that lock guards', async () => {
    const startedAt = h.clock.now();
    const cleanup = await startJobRun(h.db.pool, { job: 'weekly_cleanup', date: '2026-11-15', trigger: 'schedule', startedAt });
    const announce = await startJobRun(h.db.pool, { job: 'new_day', date: DATE, trigger: 'schedule', startedAt });
    const status = async () => new Map((await jobRunsBetween(h.db.pool, '2026-11-15', DATE)).map((j) => [j.id, j.status]));

    // The data lock: the cycle ledger and the weekly cleanup; the announcement's row belongs to the other lock.
    expect(await withRunnerLock(h.deps, async () => status())).toEqual(new Map([[cleanup.id, 'interrupted'], [announce.id, 'running']]));
    expect(await withRunnerLock(h.deps, async () => status(), { lockKey: h.keys.maintenanceNewDayLock })).toEqual(
      new Map([[cleanup.id, 'interrupted'], [announce.id, 'interrupted']]),
    );
  });

  it('never announces a day other than the current one, and says so as a failure', async () => {
    const a = runnerOn(h.deps);
    expect(await a.run({ job: 'new_day', date: '2026-11-19', trigger: 'catch_up', once: true })).toMatchObject({
      status: 'failed',
      detail: { error_code: 'NOT_CURRENT_DAY' },
    });
    expect(await h.redis.get(h.keys.tradingCurrentDay)).toBeNull();
  });
});
