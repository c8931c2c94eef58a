import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/cycle/run-cycle.js';
import { datesFullyCompleted, runsBetween } from '../../src/db/run-ledger.js';
import { type Harness, createHarness } from '../support/maintenance-harness.js';

const DATE = '2026-11-20';

/**
 * A run that did every task and then lost its process, or its database connection, before its final step:
 * found by the fault suite (tools/fault-suite, pg-outage and crash-loop), where the date then counted as
 * done and maintenance:executed / last_run were never written.
 */
describe('a run that did every task but was never recorded finished', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ universeSize: 4, evening: DATE });
  });
  afterEach(async () => {
    await h.close();
  });

  it('leaves the date missing, and the next run finishes it (flags written, run completed) without redoing a task', async () => {
    const first = await runCycle(h.deps, { date: DATE, tasks: null, trigger: 'test' });
    expect(first.succeeded).toBe(true);
    // What the process that died left: every task completed, the run not finished, no final flags.
    await h.db.pool.query(`UPDATE maintenance_runs SET status = 'failed', error = 'cut' WHERE run_id = $1`, [first.runId]);
    await h.redis.del(h.keys.maintenanceExecuted(DATE), h.keys.maintenanceLastRun);
    expect(await datesFullyCompleted(h.db.pool, [DATE], MAINTENANCE_TASKS)).toEqual(new Set());

    const next = await runCycle(h.deps, { date: DATE, tasks: null, trigger: 'test' });
    expect(next).toMatchObject({ runId: first.runId, succeeded: true, allSuccess: true, resumedFrom: null });
    expect(next.results.size).toBe(0);
    const runs = await runsBetween(h.db.pool, DATE, DATE);
    expect(runs.map((r) => [r.runId, r.status, r.error])).toEqual([[first.runId, 'completed', null]]);
    // The harness clock stands still, so rows are compared by task, not by start.
    const rows = (runs[0]?.taskRuns ?? []).map((t) => [t.task, t.status, t.attempt]).sort(([a], [b]) => String(a).localeCompare(String(b)));
    expect(rows).toEqual(MAINTENANCE_TASKS.map((t) => [t, 'completed', 1]).sort(([a], [b]) => String(a).localeCompare(String(b))));
    expect(await h.redis.get(h.keys.maintenanceExecuted(DATE))).toBe('1');
    expect(await h.redis.get(h.keys.maintenanceLastRun)).toBe(DATE);
    expect(await datesFullyCompleted(h.db.pool, [DATE], MAINTENANCE_TASKS)).toEqual(new Set([DATE]));

    // Finished, a date run again by hand is the whole cycle again, as before.
    const again = await runCycle(h.deps, { date: DATE, tasks: null, trigger: 'test' });
    expect(again.runId).not.toBe(first.runId);
    expect([...again.results.keys()]).toEqual([...MAINTENANCE_TASKS]);
  }, 60_000);

  it('is not a run with a task left to do: that one still resumes at the task', async () => {
    const first = await runCycle(h.deps, { date: DATE, tasks: null, trigger: 'test' });
    await h.db.pool.query(`UPDATE maintenance_task_runs SET status = 'interrupted' WHERE run_id = $1 AND task = 'sync_redis'`, [first.runId]);
    await h.db.pool.query(`UPDATE maintenance_runs SET status = 'interrupted' WHERE run_id = $1`, [first.runId]);
    const next = await runCycle(h.deps, { date: DATE, tasks: null, trigger: 'test' });
    expect(next.runId).not.toBe(first.runId);
    expect(next).toMatchObject({ succeeded: true, resumedFrom: 'sync_redis' });
  }, 60_000);
});
