import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/cycle/run-cycle.js';
import { latestRunForDate } from '../../src/db/run-ledger.js';
import { type Harness, createHarness } from '../support/maintenance-harness.js';

const DATE = '2026-11-20';

describe('a cycle ended by an exception', () => {
  let h: Harness | undefined;
  let dead: Redis | undefined;
  afterEach(async () => {
    dead?.disconnect();
    await h?.close();
  });

  it('is recorded failed at once (not left running), with no task left running', async () => {
    h = await createHarness({ universeSize: 3 });
    // A Redis that refuses every command: the cycle's first status write throws.
    dead = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => undefined);
    await expect(runCycle({ ...h.deps, redis: dead }, { date: DATE, tasks: null, trigger: 'test' })).rejects.toThrow();
    const run = await latestRunForDate(h.db.pool, DATE);
    expect(run?.status).toBe('failed');
    expect(run?.error).toMatch(/^\w+: /);
    expect(run?.finishedAt).not.toBeNull();
    expect(run?.taskRuns.filter((t) => t.status === 'running')).toEqual([]);

    // The next run (Redis back) is not blocked by it and completes the date.
    const next = await runCycle(h.deps, { date: DATE, tasks: null, trigger: 'test' });
    expect(next.succeeded).toBe(true);
  }, 60_000);
});
