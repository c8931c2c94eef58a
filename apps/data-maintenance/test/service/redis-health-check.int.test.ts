import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCycle } from '../../src/cycle/run-cycle.js';
import { runsBetween } from '../../src/db/run-ledger.js';
import { scanKeys, unlinkKeys } from '../../src/redis/scan-keys.js';
import { inspectRedisData } from '../../src/service/redis-health-check.js';
import type { ServiceStatus } from '../../src/service/service-status.js';
import { type Harness, createHarness, deleteKeysWithPrefix, dumpKeys, withoutTtl } from '../support/maintenance-harness.js';
import { type TestService, createTestService, testConfig } from './service-fixture.js';

const SESSIONS = ['2026-11-18', '2026-11-19', '2026-11-20'];
const DATA_KEY = /^(ticker:universe|metadata:ticker:|atr:data:|rvol:hist:avg:)/;

/** The caches a reader uses (the universe and the per-ticker families), with values and TTL presence. */
async function dataKeys(h: Harness) {
  const all = withoutTtl(await dumpKeys(h.redis, h.keys.prefix));
  return Object.fromEntries(Object.entries(all).filter(([key]) => DATA_KEY.test(key)));
}

describe('the Redis health check', () => {
  let h: Harness;
  let t: TestService | undefined;
  beforeEach(async () => {
    // ATR(2) so that three sessions give every family its keys.
    h = await createHarness({ universeSize: 6, evening: '2026-11-20', settings: { atrPeriod: 2, atrMaxSessions: 10 } });
    for (const date of SESSIONS) expect((await runCycle(h.deps, { date, tasks: null, trigger: 'setup' })).allSuccess).toBe(true);
  });
  afterEach(async () => {
    await t?.service.shutdown();
    await h.close();
  });

  it('restores the universe and the per-ticker keys from the database after Redis was flushed, and a lost key family', async () => {
    const before = await dataKeys(h);
    for (const prefix of ['metadata:ticker:', 'atr:data:', 'rvol:hist:avg:']) expect(Object.keys(before).filter((k) => k.startsWith(prefix))).toHaveLength(6);
    expect(await inspectRedisData({ ...h.deps, sessions: 5 })).toMatchObject({ ok: true, universe: 6, sampled: 6 });

    t = createTestService(h.deps, testConfig({ healthCheckIntervalMs: 250, catchUpSessions: 3 }));
    const { service } = t;
    service.start();
    await vi.waitFor(async () => expect(((await service.control.status()) as ServiceStatus).last_health_check).toMatchObject({ repair: null }), { timeout: 10_000 });

    // Everything of the prefix goes: the caches, maintenance:*, the locks.
    await deleteKeysWithPrefix(h.redis, h.keys.prefix);
    await vi.waitFor(async () => expect(await dataKeys(h)).toEqual(before), { timeout: 15_000, interval: 100 });
    expect(await h.redis.get(h.keys.maintenanceLastRun)).toBe('2026-11-20');
    expect(await h.redis.get(h.keys.maintenanceExecuted('2026-11-20'))).toBe('1');

    // One key family lost on its own (rvol of every symbol): found by sampling the universe.
    await unlinkKeys(h.redis, await scanKeys(h.redis, h.keys.patterns.rvolHistAvg), 100);
    await vi.waitFor(async () => expect(await dataKeys(h)).toEqual(before), { timeout: 15_000, interval: 100 });

    const repairs = (await runsBetween(h.db.pool, '2026-11-20', '2026-11-20')).filter((r) => r.trigger === 'health_check');
    expect(repairs.map((r) => [r.date, r.tasks, r.status])).toEqual([
      ['2026-11-20', ['sync_redis'], 'completed'],
      ['2026-11-20', ['sync_redis'], 'completed'],
    ]);
    // The checks after the repairs found nothing missing: no repair runs in a loop.
    await vi.waitFor(async () => expect(((await service.control.status()) as ServiceStatus).last_health_check).toMatchObject({ finding: { ok: true }, repair: null }), { timeout: 10_000 });
    expect((await runsBetween(h.db.pool, '2026-11-20', '2026-11-20')).filter((r) => r.trigger === 'health_check')).toHaveLength(2);
  }, 60_000);

  it('does not count what the database cannot give back (a symbol without ATR history) as missing', async () => {
    // With ATR(14) over three sessions no symbol has an ATR row, so none has an atr:data key.
    const fresh = await createHarness({ universeSize: 4, evening: '2026-11-20' });
    try {
      for (const date of SESSIONS) await runCycle(fresh.deps, { date, tasks: null, trigger: 'setup' });
      expect(await scanKeys(fresh.redis, fresh.keys.patterns.atrData)).toEqual([]);
      expect(await inspectRedisData({ ...fresh.deps, sessions: 5 })).toMatchObject({ ok: true, universe: 4, missing: { atrData: 0 } });
      await fresh.redis.unlink(fresh.keys.tickerMetadata((await fresh.redis.srandmember(fresh.keys.tickerUniverse)) as string));
      expect(await inspectRedisData({ ...fresh.deps, sessions: 5 })).toMatchObject({ ok: false, missing: { tickerMetadata: 1, atrData: 0, rvolHistAvg: 0 } });
    } finally {
      await fresh.close();
    }
  }, 30_000);
});
