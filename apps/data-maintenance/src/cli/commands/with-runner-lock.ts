import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { interruptRunning } from '../../db/run-ledger.js';
import { acquireRunnerLock } from '../../redis/runner-lock.js';
import type { CycleDeps } from '../../cycle/run-cycle.js';
import type { RunLease } from '../../cycle/run-lease.js';

/**
 * Runs `fn` as the only maintenance runner (DESIGN 5.1). Once the lock is held, any ledger row still
 * `running` belongs to a process that died: it is marked interrupted, so a resume starts there. `fn` gets
 * the lease and must stop writing once it is lost (the cycle checks it before every task).
 */
export async function withRunnerLock<T>(
  deps: Pick<CycleDeps, 'redis' | 'keys' | 'pool' | 'clock' | 'logger'>,
  fn: (lease: RunLease) => Promise<T>,
): Promise<T> {
  const token = `${hostname()}-${process.pid}-${randomUUID()}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const lock = await acquireRunnerLock(deps.redis, deps.keys, token, {
    onLost: (error) => deps.logger.error({ event: 'runner_lock_lost', code: error.code, reason: error.message }, 'the single-runner lock was lost while running'),
  });
  try {
    const interrupted = await interruptRunning(deps.pool, deps.clock.now());
    if (interrupted.tasks > 0 || interrupted.runs > 0) {
      deps.logger.warn({ event: 'interrupted_runs_found', ...interrupted }, 'runs left running by a process that died were marked interrupted');
    }
    return await fn(lock);
  } finally {
    await lock.release();
  }
}
