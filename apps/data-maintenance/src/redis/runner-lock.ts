import type { Redis } from 'ioredis';
import { leaseLapsesBeforeRetry } from '../core/lease-timing.js';
import type { RunLease } from '../cycle/run-lease.js';

/**
 * A single-runner lease on one key (`maintenance:lock` for the data jobs, `maintenance:lock:new_day` for
 * the announcement): SET NX PX, renewed while held, released by its holder only.
 */
export interface RunnerLock extends RunLease {
  readonly token: string;
  /** Stops renewing and deletes the key if this holder still owns it. */
  release(): Promise<void>;
}

export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  readonly code = 'LOCK_HELD';
  constructor(readonly holder: string | null) {
    super(`another maintenance runner holds the lock${holder ? ` (${holder})` : ''}; try again when it has finished`);
  }
}

/** The abort reason of a lost lease: another runner may be writing now. */
export class LockLostError extends Error {
  override readonly name = 'LockLostError';
  readonly code = 'LOCK_LOST';
  constructor(reason: string) {
    super(`the single-runner lock was lost (${reason}); another runner may have started, so this one stopped writing`);
  }
}

export interface RunnerLockOptions {
  readonly leaseMs?: number;
  /** Called once, when the lease is found lost (its signal is aborted at the same moment). */
  readonly onLost?: (error: LockLostError) => void;
  /** Monotonic milliseconds: the lease runs on Redis's clock, and a wall-clock jump must not stretch it. */
  readonly monotonicNow?: () => number;
}

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * Takes the lease or throws LockHeldError. The lease lapses `leaseMs` after its holder dies, so a crashed
 * runner never blocks the next one for longer than that. It is renewed every third of the lease and on
 * every `confirm()`; it is lost when a renewal finds another holder or none, or when renewals have failed
 * for so long that it could lapse before the next try.
 */
export async function acquireRunnerLock(redis: Redis, lockKey: string, token: string, options: RunnerLockOptions = {}): Promise<RunnerLock> {
  const leaseMs = options.leaseMs ?? 60_000;
  const retryMs = Math.max(10, Math.floor(leaseMs / 3));
  const now = options.monotonicNow ?? (() => performance.now());
  let confirmedAt = now();
  const taken = await redis.set(lockKey, token, 'PX', leaseMs, 'NX');
  if (taken !== 'OK') throw new LockHeldError(await redis.get(lockKey));

  const controller = new AbortController();
  const lose = (reason: string) => {
    if (controller.signal.aborted) return;
    clearInterval(timer);
    const error = new LockLostError(reason);
    controller.abort(error);
    options.onLost?.(error);
  };
  const confirm = async (): Promise<boolean> => {
    if (controller.signal.aborted) return false;
    const sentAt = now();
    try {
      const renewed = await redis.eval(RENEW, 1, lockKey, token, String(leaseMs));
      if (renewed === 1) {
        confirmedAt = Math.max(confirmedAt, sentAt);
        return true;
      }
      lose("the lock key holds another runner's token, or none");
      return false;
    } catch (error) {
      if (!leaseLapsesBeforeRetry({ confirmedAt, now: now(), leaseMs, retryMs })) return !controller.signal.aborted;
      lose(`renewing the lease has failed since it was last confirmed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  };
  const timer = setInterval(() => void confirm(), retryMs);
  timer.unref();
  return {
    token,
    signal: controller.signal,
    confirm,
    async release() {
      clearInterval(timer);
      await redis.eval(RELEASE, 1, lockKey, token);
    },
  };
}
