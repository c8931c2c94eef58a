import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { type RedisKeys, createRedisKeys } from '@scanner/redis-keys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maintenanceKeys } from '../../src/redis/maintenance-keys.js';
import { replaceHashes, replaceStrings } from '../../src/redis/replace-keys.js';
import { LockHeldError, acquireRunnerLock } from '../../src/redis/runner-lock.js';
import { scanKeys } from '../../src/redis/scan-keys.js';
import { swapSet } from '../../src/redis/swap-set.js';
import { removeKeysNotIn } from '../../src/redis/ticker-key-families.js';
import { TEST_REDIS_URL, deleteKeysWithPrefix } from '../support/maintenance-harness.js';

describe('Redis adapters', () => {
  let redis: Redis;
  let keys: RedisKeys;
  beforeEach(() => {
    redis = new Redis(TEST_REDIS_URL);
    keys = createRedisKeys(`test:${randomBytes(6).toString('hex')}:`);
  });
  afterEach(async () => {
    await deleteKeysWithPrefix(redis, keys.prefix);
    redis.disconnect();
  });
  const options = (ttlSeconds = 3600) => ({ keys, ttlSeconds, token: 'run1-abc', chunkSize: 2 });

  it('replaceHashes swaps whole hashes in: stale fields gone, TTL set, no temporary key left', async () => {
    await redis.hset(keys.rvolHistAvg('AAA'), { '0': '1', '1': '2', '77': '9' });
    const written = await replaceHashes(
      redis,
      ['AAA', 'BBB', 'CCC'].map((s) => ({ key: keys.rvolHistAvg(s), fields: { '0': '10', '1': '20' } })),
      options(1234),
    );
    expect(written).toBe(3);
    expect(await redis.hgetall(keys.rvolHistAvg('AAA'))).toEqual({ '0': '10', '1': '20' });
    for (const s of ['AAA', 'BBB', 'CCC']) {
      const ttl = await redis.ttl(keys.rvolHistAvg(s));
      expect(ttl).toBeGreaterThan(1200);
      expect(ttl).toBeLessThanOrEqual(1234);
    }
    expect(await scanKeys(redis, keys.patterns.tmp)).toEqual([]);
  });

  it('refuses an empty hash rather than leave the key missing', async () => {
    await redis.hset(keys.atrData('AAA'), { atr: '1', atr_percent: '2', date: '2026-11-20' });
    await expect(replaceHashes(redis, [{ key: keys.atrData('AAA'), fields: {} }], options())).rejects.toMatchObject({ code: 'COMMAND_FAILED' });
    expect(await redis.exists(keys.atrData('AAA'))).toBe(1);
  });

  it('replaceStrings sets values with their TTL', async () => {
    await replaceStrings(redis, [{ key: keys.tickerMetadata('AAA'), value: '{"a":1}' }], options(99));
    expect(await redis.get(keys.tickerMetadata('AAA'))).toBe('{"a":1}');
    expect(await redis.ttl(keys.tickerMetadata('AAA'))).toBeGreaterThan(90);
  });

  it('swapSet replaces a set in one step, without TTL, and refuses an empty one', async () => {
    await redis.sadd(keys.tickerUniverse, 'OLD', 'AAA');
    const tmpKey = keys.tmp(keys.tickerUniverse, 'run1-abc');
    expect(await swapSet(redis, keys.tickerUniverse, ['AAA', 'BBB', 'CCC', 'AAA'], { tmpKey, chunkSize: 2, leaseSeconds: 60 })).toBe(3);
    expect((await redis.smembers(keys.tickerUniverse)).sort()).toEqual(['AAA', 'BBB', 'CCC']);
    expect(await redis.ttl(keys.tickerUniverse)).toBe(-1);
    expect(await redis.exists(tmpKey)).toBe(0);
    await expect(swapSet(redis, keys.tickerUniverse, [], { tmpKey, chunkSize: 2, leaseSeconds: 60 })).rejects.toMatchObject({ code: 'COMMAND_FAILED' });
    expect(await redis.scard(keys.tickerUniverse)).toBe(3);
  });

  it('removeKeysNotIn finds a family by SCAN and removes only the symbols outside the set', async () => {
    for (const s of ['AAA', 'BBB', 'GONE1', 'GONE2']) await redis.set(keys.tickerMetadata(s), '{}');
    await redis.set(keys.atrData('GONE1'), 'other family');
    const removed = await removeKeysNotIn(redis, keys, 'tickerMetadata', new Set(['AAA', 'BBB']), 1);
    expect(removed).toEqual(['GONE1', 'GONE2']);
    expect((await scanKeys(redis, keys.patterns.tickerMetadata)).sort()).toEqual([keys.tickerMetadata('AAA'), keys.tickerMetadata('BBB')]);
    expect(await redis.exists(keys.atrData('GONE1'))).toBe(1);
  });

  it('maintenance:last_run never moves backwards, even with writers racing', async () => {
    const m = maintenanceKeys(redis, keys);
    const dates = ['2026-11-18', '2026-11-20', '2026-11-19', '2026-11-17'];
    const moved = await Promise.all(dates.map((d) => m.advanceLastRun(d)));
    expect(await m.readLastRun()).toBe('2026-11-20');
    expect(moved.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(await m.advanceLastRun('2026-11-19')).toBe(false);
    expect(await m.advanceLastRun('2026-11-23')).toBe(true);
    expect(await redis.get(keys.maintenanceLastRun)).toBe('2026-11-23');
  });

  it('the runner lock admits one holder; only the holder releases it', async () => {
    const first = await acquireRunnerLock(redis, keys.maintenanceLock, 'holder-one', { leaseMs: 10_000 });
    await expect(acquireRunnerLock(redis, keys.maintenanceLock, 'holder-two', { leaseMs: 10_000 })).rejects.toBeInstanceOf(LockHeldError);
    await redis.set(keys.maintenanceLock, 'holder-three', 'PX', 10_000); // the lease lapsed and another took it
    await first.release();
    expect(await redis.get(keys.maintenanceLock)).toBe('holder-three');
    await redis.del(keys.maintenanceLock);
    const second = await acquireRunnerLock(redis, keys.maintenanceLock, 'holder-two', { leaseMs: 10_000 });
    expect(await redis.pttl(keys.maintenanceLock)).toBeGreaterThan(0);
    await second.release();
    expect(await redis.exists(keys.maintenanceLock)).toBe(0);
  });
});
