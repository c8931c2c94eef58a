import { errorInfo } from '../tasks/task-result.js';

/**
 * The right to write, held for a whole run (the single-runner lock). Two runners must never write at
 * once, so a run confirms it before each task and stops once it is lost.
 */
export interface RunLease {
  /** Aborted, with the reason (an error with a `code`), once the lease is known to be lost. */
  readonly signal: AbortSignal;
  /** Renews the lease now; false when it is lost (the signal is then aborted too). */
  confirm(): Promise<boolean>;
}

/** Why a run stopped early: the lease's code (LOCK_LOST) and message. */
export interface RunStop {
  readonly code: string;
  readonly message: string;
}

/** Null while the lease holds (or there is none: a caller that is alone by construction, such as a test). */
export async function leaseStop(lease: RunLease | undefined): Promise<RunStop | null> {
  if (lease === undefined) return null;
  if (!lease.signal.aborted && (await lease.confirm())) return null;
  return errorInfo(lease.signal.reason);
}

/**
 * Thrown by a command whose run stopped because it lost its lease, after it has recorded and printed what
 * it did: the process must exit as failed, with the reason on stderr.
 */
export class RunStoppedError extends Error {
  override readonly name = 'RunStoppedError';
  readonly code: string;
  constructor(stop: RunStop, what: string) {
    super(`${what} stopped: ${stop.message}`);
    this.code = stop.code;
  }
}
