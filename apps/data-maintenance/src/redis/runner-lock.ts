import type { Redis } from 'ioredis';
import type { RedisKeys } from '@scanner/redis-keys';

/** The single-runner lease (`maintenance:lock`): SET NX PX, renewed while held, released by its holder only. */
export interface RunnerLock {
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

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * Takes the lease or throws LockHeldError. The lease lapses `leaseMs` after its holder dies, so a crashed
 * runner never blocks the next one for longer than that.
 */
export async function acquireRunnerLock(
  redis: Redis,
  keys: RedisKeys,
  token: string,
  leaseMs = 60_000,
  /** A renewal failed or found the lease gone: another runner may start; the caller should know. */
  onLost: (reason: string) => void = () => undefined,
): Promise<RunnerLock> {
  const taken = await redis.set(keys.maintenanceLock, token, 'PX', leaseMs, 'NX');
  if (taken !== 'OK') throw new LockHeldError(await redis.get(keys.maintenanceLock));
  const timer = setInterval(() => {
    redis.eval(RENEW, 1, keys.maintenanceLock, token, String(leaseMs)).then(
      (renewed) => {
        if (renewed !== 1) onLost('the lease had lapsed and is held by another runner or nobody');
      },
      (error: unknown) => onLost(`renewing the lease failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }, Math.max(1000, Math.floor(leaseMs / 3)));
  timer.unref();
  return {
    token,
    async release() {
      clearInterval(timer);
      await redis.eval(RELEASE, 1, keys.maintenanceLock, token);
    },
  };
}
