import type { CycleDeps } from '@scanner/data-maintenance';
import type { Harness } from '@scanner/data-maintenance/testing/maintenance-harness';
import type { MaintenanceTaskName } from '@scanner/shared-types';
import type { Redis } from 'ioredis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CYCLE_DATE,
  type CycleState,
  type LockedRun,
  cycleState,
  ledgerRuns,
  proxiedRedis,
  runLocked,
  runWhenLockFree,
  seededHarness,
  ttlMismatches,
} from '../src/redis-outage-cycle.js';
import { REDIS_HOST, REDIS_PORT } from '../src/server-world.js';
import { within } from '../src/wait-until.js';
import { type DropReport, TcpProxy } from '../src/tcp-proxy.js';

/**
 * Scenario 1b: Redis fails under a maintenance cycle (run as `run --date` runs it: under the
 * single-runner lock), its Redis connection through a TCP proxy. What must hold: the run ends either
 * correct (state equal to an undisturbed run's, in its own schema and prefix) or failed-and-resumable
 * (the ledger says failed/interrupted, no "executed" flag, and the next run after the fault completes
 * and then equals the undisturbed run) — never a success over half-written caches.
 */

const UNIVERSE = 8;

function expectSameState(actual: CycleState, expected: CycleState): void {
  expect(actual.tables).toEqual(expected.tables);
  expect(actual.keys).toEqual(expected.keys);
  expect(ttlMismatches(expected, actual)).toEqual([]);
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error);

const succeeded = (run: LockedRun) => run.kind === 'returned' && run.outcome.succeeded && run.outcome.allSuccess;

describe('scenario 1b: Redis outage during a maintenance cycle', () => {
  let undisturbed: CycleState;
  const cleanups: Array<() => Promise<void>> = [];

  /** A seeded harness whose cycle deps talk to Redis through a proxy; the harness's own client stays direct. */
  const faultedWorld = async (): Promise<{ h: Harness; proxy: TcpProxy; redis: Redis; deps: CycleDeps }> => {
    const h = await seededHarness(UNIVERSE);
    const proxy = await TcpProxy.start({ targetHost: REDIS_HOST, targetPort: REDIS_PORT });
    const redis = proxiedRedis(proxy);
    cleanups.push(async () => {
      proxy.restore();
      redis.disconnect();
      await proxy.close();
      await h.close();
    });
    return { h, proxy, redis, deps: { ...h.deps, redis } };
  };

  beforeAll(async () => {
    const u = await seededHarness(UNIVERSE);
    try {
      const run = await runLocked(u.deps, { leaseMs: 5_000 });
      expect(succeeded(run)).toBe(true);
      undisturbed = await cycleState(u);
    } finally {
      await u.close();
    }
    // The comparison covers every family of cache the cycle writes, not a near-empty state.
    const names = Object.keys(undisturbed.keys);
    for (const family of ['atr:data:', 'rvol:hist:avg:', 'metadata:ticker:']) {
      expect(names.filter((k) => k.startsWith(family)), family).toHaveLength(UNIVERSE);
    }
    expect(names).toContain(`maintenance:executed:${CYCLE_DATE}`);
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('a short outage (links reset, reconnects hang) is ridden through: the run succeeds and equals the undisturbed run', async () => {
    const { h, proxy, deps } = await faultedWorld();
    let restored: Promise<void> | null = null;
    const run = await runLocked(deps, {
      leaseMs: 5_000,
      onTaskFinished: (task) => {
        if (task !== 'calculate_atr') return;
        proxy.cut('hold');
        restored = new Promise((resolve) =>
          setTimeout(() => {
            proxy.restore();
            resolve();
          }, 400),
        );
      },
    });
    await restored;
    expect(run.kind === 'returned' ? run.outcome.results.get('sync_redis')?.status : run).toBe('completed');
    expect(succeeded(run)).toBe(true);
    expect(proxy.counters.destroyed).toBeGreaterThanOrEqual(1);
    expect(proxy.counters.accepted).toBeGreaterThanOrEqual(2);
    expectSameState(await cycleState(h), undisturbed);
    expect((await ledgerRuns(h)).map((r) => r.status)).toEqual(['completed']);
  });

  it('a long outage from a task boundary: the run fails, never succeeds; after restore the next run resumes and equals the undisturbed run', async () => {
    const { h, proxy, deps } = await faultedWorld();
    const leaseMs = 1_000;
    const first = await runLocked(deps, {
      leaseMs,
      onTaskFinished: (task) => {
        if (task === 'calculate_atr') proxy.cut();
      },
    });
    expect(first.kind).not.toBe('lock_held');
    expect(succeeded(first)).toBe(false);
    // Nothing claims the day is done while the caches after calculate_atr were never written.
    expect(await h.redis.exists(h.keys.maintenanceExecuted(CYCLE_DATE))).toBe(0);
    expect(await h.redis.get(h.keys.maintenanceLastRun)).toBeNull();
    const afterFailure = await ledgerRuns(h);
    expect(afterFailure).toHaveLength(1);
    expect(afterFailure[0]?.tasks['calculate_atr']).toBe('completed');
    // The run is over: the ledger must say so now, not only once another runner finds it later.
    expect(afterFailure[0]?.status).toBe('failed');
    expect(Object.values(afterFailure[0]?.tasks ?? {})).not.toContain('running');

    const restoredAt = performance.now();
    proxy.restore();
    const second = await runWhenLockFree(deps, leaseMs, 10_000);
    const recoveryMs = performance.now() - restoredAt;
    expect(second.kind === 'returned' && second.outcome.resumedFrom).toBe<MaintenanceTaskName>('calculate_rvol_averages');
    expect(succeeded(second)).toBe(true);
    const runs = await ledgerRuns(h);
    expect(['failed', 'interrupted']).toContain(runs[0]?.status);
    expect(runs.map((r) => r.status).slice(1)).toEqual(['completed']);
    expectSameState(await cycleState(h), undisturbed);
    // eslint-disable-next-line no-console -- the numbers go into docs/reliability.md
    console.info(
      `[redis-outage] maintenance cut: first run ${first.kind === 'threw' ? `threw ${errorName(first.error)}` : 'returned failed'}; ` +
        `resumed run completed ${recoveryMs.toFixed(0)} ms after restore (${second.attempts} lock attempts)`,
    );
  });

  it('a reply cut in the middle of a cache write: the run either succeeds with the right state or fails and the next run repairs it', async () => {
    const { h, proxy, deps } = await faultedWorld();
    const armed: { drop?: Promise<DropReport> } = {};
    const first = await runLocked(deps, {
      leaseMs: 5_000,
      onTaskFinished: (task) => {
        // The next reply of any size after ATR belongs to the RVOL hashes' MULTI/EXEC.
        if (task === 'calculate_atr') armed.drop = proxy.dropMidReply({ minBytes: 64 });
      },
    });
    expect(armed.drop).toBeDefined();
    const report = await within('the reply to be cut', armed.drop ?? Promise.reject(new Error('never armed')));
    expect(report.deliveredBytes).toBeGreaterThan(0);
    expect(first.kind).not.toBe('lock_held');
    if (!succeeded(first)) {
      expect(await h.redis.exists(h.keys.maintenanceExecuted(CYCLE_DATE))).toBe(0);
      expect((await ledgerRuns(h))[0]?.status).toBe('failed');
      const second = await runWhenLockFree(deps, 5_000, 15_000);
      expect(succeeded(second)).toBe(true);
    }
    expectSameState(await cycleState(h), undisturbed);
    // eslint-disable-next-line no-console -- the numbers go into docs/reliability.md
    console.info(`[redis-outage] maintenance drop: reply cut after ${report.deliveredBytes}/${report.chunkBytes} bytes; first run ${succeeded(first) ? 'succeeded' : 'failed'}`);
  });
});
