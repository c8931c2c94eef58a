import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { type RedisKeys, createRedisKeys } from '@scanner/redis-keys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LockLostError, acquireRunnerLock } from '../../src/redis/runner-lock.js';
import { TEST_REDIS_URL, deleteKeysWithPrefix } from '../support/maintenance-harness.js';

async function until(condition: () => boolean, what: string, deadlineMs = 5_000): Promise<void> {
  const deadline = performance.now() + deadlineMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the runner lock lease', () => {
  let redis: Redis;
  let keys: RedisKeys;
  beforeEach(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
    keys = createRedisKeys(`test:${randomBytes(6).toString('hex')}:`);
  });
  afterEach(async () => {
    await deleteKeysWithPrefix(redis, keys.prefix);
    redis.disconnect();
  });

  it('confirm() renews the lease while held and aborts the signal, once, when another runner holds it', async () => {
    const lost: LockLostError[] = [];
    const lock = await acquireRunnerLock(redis, keys.maintenanceLock, 'me', { leaseMs: 60_000, onLost: (e) => lost.push(e) });
    await redis.pexpire(keys.maintenanceLock, 5_000);
    expect(await lock.confirm()).toBe(true);
    expect(await redis.pttl(keys.maintenanceLock)).toBeGreaterThan(5_000);
    expect(lock.signal.aborted).toBe(false);

    await redis.set(keys.maintenanceLock, 'someone-else', 'PX', 60_000);
    expect(await lock.confirm()).toBe(false);
    expect(await lock.confirm()).toBe(false);
    expect(lock.signal.aborted).toBe(true);
    expect(lock.signal.reason).toMatchObject({ name: 'LockLostError', code: 'LOCK_LOST' });
    expect(lost).toHaveLength(1);
    await lock.release();
    expect(await redis.get(keys.maintenanceLock)).toBe('someone-else');
  });

  it('the background renewal finds the lease gone without anyone asking', async () => {
    const lock = await acquireRunnerLock(redis, keys.maintenanceLock, 'me', { leaseMs: 300 });
    await redis.del(keys.maintenanceLock);
    await until(() => lock.signal.aborted, 'the renewal timer to notice the lost lease');
    expect((lock.signal.reason as Error).message).toContain("holds another runner's token, or none");
    await lock.release();
  });

  it('failed renewals keep the lease until it could lapse before the next try, then lose it', async () => {
    // Its own connection, failing commands at once once closed, and a clock the test moves.
    const own = new Redis(TEST_REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await new Promise((r) => own.once('ready', r));
    let now = 1_000;
    const lock = await acquireRunnerLock(own, keys.maintenanceLock, 'me', { leaseMs: 60_000, monotonicNow: () => now });
    own.disconnect();

    now = 21_000; // renewal fails, but the lease runs to 61_000 and the next try (at +20_000) comes before
    expect(await lock.confirm()).toBe(true);
    expect(lock.signal.aborted).toBe(false);

    now = 41_000; // the lease could lapse before the next try: another runner may take it unseen
    expect(await lock.confirm()).toBe(false);
    expect(lock.signal.aborted).toBe(true);
    expect((lock.signal.reason as Error).message).toContain('renewing the lease has failed');
    // The key is still in Redis (this holder just cannot reach it); it lapses on its own.
    expect(await redis.get(keys.maintenanceLock)).toBe('me');
  });
});
