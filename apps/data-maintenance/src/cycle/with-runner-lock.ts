import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { interruptRunningJobs } from '../db/job-runs.js';
import { interruptRunning } from '../db/run-ledger.js';
import { type RunnerLock, acquireRunnerLock } from '../redis/runner-lock.js';
import type { CycleDeps } from './run-cycle.js';

export interface RunnerLockScope {
  /** The lock key: `keys.maintenanceLock` (every job that writes market data) unless given. */
  readonly lockKey?: string;
  /** How long a dead holder keeps the lock (default 60 s). */
  readonly leaseMs?: number;
  /**
   * Marks what a dead holder of this lock left `running` as interrupted, so a resume starts there.
   * Default: what the lock guards (`interruptUnderLock`).
   */
  readonly markInterrupted?: (at: Date) => Promise<Readonly<Record<string, number>>>;
}

/** A token that names the holder for an operator: host, pid and a random part. */
export function holderToken(): string {
  return `${hostname()}-${process.pid}-${randomUUID()}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

type LockDeps = Pick<CycleDeps, 'pool' | 'keys'>;

/**
 * The ledger rows a holder of `lockKey` may have left `running`, marked interrupted: under the data lock
 * the cycle ledger's runs and tasks and the weekly cleanup's job rows; under the new-day lock the
 * new-day job rows. Never another lock's rows: their holder may be alive.
 */
export async function interruptUnderLock(deps: LockDeps, lockKey: string, at: Date): Promise<Readonly<Record<string, number>>> {
  if (lockKey === deps.keys.maintenanceNewDayLock) {
    return { new_day: await interruptRunningJobs(deps.pool, at, ['new_day']) };
  }
  const cycle = await interruptRunning(deps.pool, at);
  return { ...cycle, weekly_cleanup: await interruptRunningJobs(deps.pool, at, ['weekly_cleanup']) };
}

/**
 * Runs `fn` as the only holder of a runner lock (DESIGN 5.1), or throws LockHeldError. Once the lock is
 * held, any ledger row still `running` under it belongs to a process that died: it is marked
 * interrupted. `fn` gets the lease and must stop writing once it is lost (the cycle checks it before
 * every task); it may release the lock early (a shutdown past its grace), which is then a no-op here.
 */
export async function withRunnerLock<T>(
  deps: Pick<CycleDeps, 'redis' | 'keys' | 'pool' | 'clock' | 'logger'>,
  fn: (lock: RunnerLock) => Promise<T>,
  scope: RunnerLockScope = {},
): Promise<T> {
  const lockKey = scope.lockKey ?? deps.keys.maintenanceLock;
  const lock = await acquireRunnerLock(deps.redis, lockKey, holderToken(), {
    ...(scope.leaseMs === undefined ? {} : { leaseMs: scope.leaseMs }),
    onLost: (error) =>
      deps.logger.error({ event: 'runner_lock_lost', lock: lockKey, code: error.code, reason: error.message }, 'a single-runner lock was lost while running'),
  });
  try {
    const markInterrupted = scope.markInterrupted ?? ((at: Date) => interruptUnderLock(deps, lockKey, at));
    const interrupted = await markInterrupted(deps.clock.now());
    if (Object.values(interrupted).some((n) => n > 0)) {
      deps.logger.warn({ event: 'interrupted_runs_found', lock: lockKey, ...interrupted }, 'runs left running by a process that died were marked interrupted');
    }
    return await fn(lock);
  } finally {
    await lock.release();
  }
}
