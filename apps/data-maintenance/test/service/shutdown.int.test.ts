import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runsBetween } from '../../src/db/run-ledger.js';
import { type Harness, createHarness } from '../support/maintenance-harness.js';
import { type TestService, createTestService, gatedSource, testConfig } from './service-fixture.js';

const DATE = '2026-11-20';

describe('shutting the service down during a cycle', () => {
  let h: Harness;
  let gate: ReturnType<typeof gatedSource>;
  let services: TestService[] = [];
  beforeEach(async () => {
    h = await createHarness({ universeSize: 4, evening: DATE });
    gate = gatedSource(h.source);
  });
  afterEach(async () => {
    gate.open();
    await Promise.all(services.map((s) => s.service.shutdown()));
    services = [];
    // An abandoned cycle goes on until its task returns: let it end before the schema goes.
    await vi.waitFor(async () => expect((await runsBetween(h.db.pool, DATE, DATE)).some((r) => r.status === 'running')).toBe(false), { timeout: 10_000 });
    await h.close();
  });

  const startRun = async (graceMs: number) => {
    const t = createTestService({ ...h.deps, source: gate }, testConfig({ shutdownGraceMs: graceMs }));
    services.push(t);
    expect(await t.service.control.trigger({ date: DATE, tasks: null })).toMatchObject({ accepted: true });
    await vi.waitFor(() => expect(gate.waiting()).toBe(true), { timeout: 10_000 });
    return t;
  };

  it('lets the task under way finish, records the run interrupted, and the next run resumes after it', async () => {
    const t = await startRun(10_000);
    const stopping = t.service.shutdown();
    gate.open();
    expect(await stopping).toEqual({ graceful: true, abandoned: [] });

    const [run] = await runsBetween(h.db.pool, DATE, DATE);
    expect(run).toMatchObject({ status: 'interrupted', error: expect.stringContaining('SHUTTING_DOWN') });
    const byTask = new Map((run?.taskRuns ?? []).map((r) => [r.task, r]));
    expect(byTask.get('load_ohlc')?.status).toBe('completed');
    expect(byTask.get('load_volume_slots')?.status).toBe('completed');
    for (const task of MAINTENANCE_TASKS.slice(2)) expect(byTask.get(task)).toMatchObject({ status: 'skipped', error: expect.stringContaining('SHUTTING_DOWN') });
    expect(await h.redis.get(h.keys.maintenanceLock)).toBeNull();
    expect(await h.redis.get(h.keys.maintenanceExecuted(DATE))).toBeNull();

    // The next start's catch-up resumes at the first task the stop held back.
    const next = createTestService(h.deps, testConfig({ catchUpSessions: 1 }));
    services.push(next);
    const report = await next.service.catchUp();
    expect(report?.ran).toContainEqual({ job: 'daily_maintenance', date: DATE, status: 'completed' });
    const runs = await runsBetween(h.db.pool, DATE, DATE);
    expect(runs.map((r) => [r.trigger, r.status, r.tasks])).toEqual([
      ['http', 'interrupted', [...MAINTENANCE_TASKS]],
      ['catch_up', 'completed', MAINTENANCE_TASKS.slice(2)],
    ]);
    expect(await h.redis.get(h.keys.maintenanceExecuted(DATE))).toBe('1');
  }, 30_000);

  it('past the grace, marks what still runs interrupted and releases the lock at once', async () => {
    const t = await startRun(200);
    const report = await t.service.shutdown();
    expect(report.graceful).toBe(false);
    expect(report.abandoned).toEqual([{ job: 'daily_maintenance', date: DATE, runs: 1, tasks: 1, weekly_cleanup: 0 }]);

    // The task is still inside its source call, yet the ledger already says what a restart must know.
    expect(gate.waiting()).toBe(true);
    const [run] = await runsBetween(h.db.pool, DATE, DATE);
    expect(run?.status).toBe('interrupted');
    expect(run?.taskRuns.find((r) => r.task === 'load_volume_slots')?.status).toBe('interrupted');
    expect(await h.redis.get(h.keys.maintenanceLock)).toBeNull();
  }, 30_000);
});
