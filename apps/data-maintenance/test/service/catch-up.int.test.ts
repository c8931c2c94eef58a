import { newYorkInstant } from '@scanner/market-calendar';
import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCycle } from '../../src/cycle/run-cycle.js';
import { jobRunsBetween } from '../../src/db/job-runs.js';
import { runsBetween } from '../../src/db/run-ledger.js';
import { runNewDayJob } from '../../src/jobs/new-day-job.js';
import { runWeeklyCleanupJob } from '../../src/service/weekly-cleanup-job.js';
import type { ServiceStatus } from '../../src/service/service-status.js';
import { type Harness, createHarness, standAt } from '../support/maintenance-harness.js';
import { type TestService, createTestService, testConfig } from './service-fixture.js';

// The clock stands at Friday 2026-11-20 18:00 New York: the last five sessions are 11-16 .. 11-20.
const DONE = ['2026-11-16', '2026-11-18', '2026-11-20'];
const MISSING = ['2026-11-17', '2026-11-19'];

describe('catch-up on start', () => {
  let h: Harness;
  let t: TestService | undefined;
  beforeEach(async () => {
    h = await createHarness({ universeSize: 5, evening: '2026-11-20' });
  });
  afterEach(async () => {
    await t?.service.shutdown();
    await h.close();
  });

  it('runs exactly the two sessions the ledger misses, oldest first, and nothing already done', async () => {
    // Every other expected run is done honestly, by the same code the service runs.
    for (const date of DONE) expect((await runCycle(h.deps, { date, tasks: null, trigger: 'setup' })).allSuccess).toBe(true);
    const config = testConfig({ catchUpSessions: 5 });
    await runNewDayJob({ ...h.deps, newDay: config.newDay, newDayMinute: config.schedules.newDayMinute }, { date: '2026-11-20', trigger: 'setup' });
    await runWeeklyCleanupJob(h.deps, { date: '2026-11-15', trigger: 'setup' });

    t = createTestService(h.deps, config);
    t.service.start();
    const status = await vi.waitFor(
      async () => {
        const s = (await t?.service.control.status()) as ServiceStatus;
        if (s.last_catch_up === null || s.running.length > 0) throw new Error('catch-up under way');
        return s;
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(status.last_catch_up?.missing).toEqual(MISSING.map((d) => `daily_maintenance:${d}`));
    expect(status.last_catch_up?.ran).toEqual(MISSING.map((date) => ({ job: 'daily_maintenance', date, status: 'completed' })));

    const runs = await runsBetween(h.db.pool, '2026-11-16', '2026-11-20');
    const caughtUp = runs.filter((r) => r.trigger === 'catch_up').sort((a, b) => a.runId - b.runId);
    expect(caughtUp.map((r) => [r.date, r.status, r.tasks])).toEqual(MISSING.map((d) => [d, 'completed', [...MAINTENANCE_TASKS]]));
    const starts = caughtUp.map((r) => r.startedAt.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    // The sessions already done were not run again; new_day and the cleanup were not redone either.
    expect(runs.filter((r) => r.trigger !== 'catch_up').map((r) => r.date)).toEqual(DONE);
    const jobs = await jobRunsBetween(h.db.pool, '2026-11-15', '2026-11-20');
    expect(jobs.map((j) => [j.job, j.date, j.trigger, j.status])).toEqual([
      ['weekly_cleanup', '2026-11-15', 'setup', 'completed'],
      ['new_day', '2026-11-20', 'setup', 'completed'],
    ]);
    expect(status.cycles.map((c) => [c.date, c.status])).toEqual(['2026-11-20', '2026-11-19', '2026-11-18', '2026-11-17', '2026-11-16'].map((d) => [d, 'completed']));

    // A second pass finds nothing to do.
    const again = await t.service.catchUp();
    expect(again).toMatchObject({ missing: [], ran: [] });
    expect((await runsBetween(h.db.pool, '2026-11-16', '2026-11-20')).length).toBe(DONE.length + MISSING.length);
  }, 60_000);

  it('waits while another instance holds the data lock, and runs a 17:00 fire after the session it missed', async () => {
    standAt(h.clock, '2026-11-20', 16, 59);
    const config = testConfig({ catchUpSessions: 2 });
    await runNewDayJob({ ...h.deps, newDay: config.newDay, newDayMinute: config.schedules.newDayMinute }, { date: '2026-11-20', trigger: 'setup' });
    await runWeeklyCleanupJob(h.deps, { date: '2026-11-15', trigger: 'setup' });
    await h.redis.set(h.keys.maintenanceLock, 'another-instance', 'PX', 60_000);

    t = createTestService(h.deps, config);
    const service = t.service;
    service.start();
    const held = await vi.waitFor(
      async () => {
        const s = (await service.control.status()) as ServiceStatus;
        if (s.last_catch_up === null) throw new Error('catch-up under way');
        return s.last_catch_up;
      },
      { timeout: 10_000, interval: 50 },
    );
    // The lane stopped at the first run: nothing was run behind the other instance's back.
    expect(held).toMatchObject({ ran: [{ job: 'daily_maintenance', date: '2026-11-18', status: 'lock_held' }], stoppedAt: { status: 'lock_held' } });
    expect(await runsBetween(h.db.pool, '2026-11-18', '2026-11-20')).toEqual([]);

    // The other instance is gone; 17:00 fires: the older missing sessions run first, then the fired one.
    await h.redis.del(h.keys.maintenanceLock);
    h.clock.set(newYorkInstant('2026-11-20', 17, 0).getTime() + 5000);
    t.scheduler.fire({ job: 'daily_maintenance', date: '2026-11-20', scheduledAt: newYorkInstant('2026-11-20', 17, 0) });
    await vi.waitFor(async () => expect((await runsBetween(h.db.pool, '2026-11-20', '2026-11-20')).map((r) => r.status)).toEqual(['completed']), {
      timeout: 30_000,
      interval: 100,
    });
    const runs = await runsBetween(h.db.pool, '2026-11-18', '2026-11-20');
    expect(runs.map((r) => [r.date, r.trigger, r.status])).toEqual([
      ['2026-11-19', 'catch_up', 'completed'],
      ['2026-11-20', 'schedule', 'completed'],
    ]);
  }, 60_000);
});
