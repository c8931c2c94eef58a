import { Redis } from 'ioredis';
import { newYorkInstant } from '@scanner/market-calendar';
import { decodeNewDayEvent } from '@scanner/redis-keys';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jobSchedules } from '../../src/core/job-schedule.js';
import { jobRunsBetween } from '../../src/db/job-runs.js';
import { runsBetween } from '../../src/db/run-ledger.js';
import { findMissingRuns } from '../../src/service/catch-up.js';
import { type Harness, TEST_REDIS_URL, createHarness, standAt } from '../support/maintenance-harness.js';
import { type TestService, createTestService, ownClients, testConfig } from './service-fixture.js';

describe('two service instances started together', () => {
  let h: Harness;
  let second: ReturnType<typeof ownClients>;
  let subscriber: Redis;
  let services: TestService[] = [];
  beforeEach(async () => {
    h = await createHarness({ universeSize: 5, evening: '2026-11-20' });
    second = ownClients(h.deps, h.db.schema);
    subscriber = new Redis(TEST_REDIS_URL);
  });
  afterEach(async () => {
    await Promise.all(services.map((s) => s.service.shutdown()));
    services = [];
    subscriber.disconnect();
    await second.close();
    await h.close();
  });

  it('run each due job exactly once: one cycle per session, one announcement, one cleanup', async () => {
    const messages: string[] = [];
    await subscriber.subscribe(h.keys.newDayChannel);
    subscriber.on('message', (_channel: string, message: string) => messages.push(message));

    // Friday 2026-11-20, 30 s after the 17:00 run time: due are the cycles of 11-19 and 11-20, the
    // announcement of 11-20 and Sunday 11-15's cleanup.
    standAt(h.clock, '2026-11-20', 17, 0);
    h.clock.advance(30_000);
    const config = testConfig({ catchUpSessions: 2, catchUpIntervalMs: 1000 });
    services = [createTestService(h.deps, config), createTestService(second.deps, config)];
    for (const s of services) s.service.start();
    // Both replicas' node-schedule fire the 17:00 run at the same moment.
    for (const s of services) s.scheduler.fire({ job: 'daily_maintenance', date: '2026-11-20', scheduledAt: newYorkInstant('2026-11-20', 17, 0) });

    const catchUp = { pool: h.db.pool, calendar: h.deps.calendar, logger: h.deps.logger, schedules: jobSchedules(config.schedules), sessions: 2 };
    await vi.waitFor(
      async () => {
        const { missing } = await findMissingRuns(catchUp, h.clock.now());
        if (missing.length > 0) throw new Error(`still missing: ${missing.map((m) => `${m.job}:${m.date}`).join(', ')}`);
      },
      { timeout: 40_000, interval: 200 },
    );
    // Both look again at once: everything is done, nothing runs twice.
    await Promise.all(services.map((s) => s.service.catchUp()));
    await vi.waitFor(
      async () => {
        for (const s of services) if (((await s.service.control.status()) as { running: unknown[] }).running.length > 0) throw new Error('busy');
      },
      { timeout: 10_000, interval: 100 },
    );

    const runs = await runsBetween(h.db.pool, '2026-11-19', '2026-11-20');
    expect(runs.map((r) => [r.date, r.status])).toEqual([
      ['2026-11-19', 'completed'],
      ['2026-11-20', 'completed'],
    ]);
    // 11-19 ran before 11-20, whichever instance ran them; 11-20 was the scheduled one.
    const ids = runs.map((r) => r.runId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(runs.map((r) => r.trigger)).toEqual(['catch_up', expect.stringMatching(/^(schedule|catch_up)$/)]);
    const jobs = await jobRunsBetween(h.db.pool, '2026-11-15', '2026-11-20');
    expect(jobs.map((j) => [j.job, j.date, j.status])).toEqual([
      ['weekly_cleanup', '2026-11-15', 'completed'],
      ['new_day', '2026-11-20', 'completed'],
    ]);
    await vi.waitFor(() => expect(messages.length).toBeGreaterThan(0), { timeout: 2000 });
    expect(messages).toHaveLength(1);
    expect(decodeNewDayEvent(messages[0] ?? '')).toMatchObject({ ok: true, value: { event: 'new_trading_day', date: '2026-11-20' } });
    expect(await h.redis.get(h.keys.tradingCurrentDay)).toBe('2026-11-20');
    expect(await h.redis.get(h.keys.maintenanceLock)).toBeNull();
  }, 60_000);
});
