/** What is known about a lease when one renewal has just failed (times in monotonic milliseconds). */
export interface LeaseTiming {
  /** When the last renewal that Redis confirmed was sent: the lease runs at least `leaseMs` from there. */
  readonly confirmedAt: number;
  readonly now: number;
  readonly leaseMs: number;
  /** When the next renewal will be tried, from now. */
  readonly retryMs: number;
}

/**
 * A failed renewal (Redis unreachable, a timeout) does not lose the lease by itself: it still runs until
 * confirmedAt + leaseMs. But once the lease could lapse before the next try, another runner may take it
 * at any moment without this one noticing, so it must count as lost from now on.
 */
export function leaseLapsesBeforeRetry(timing: LeaseTiming): boolean {
  return timing.now + timing.retryMs >= timing.confirmedAt + timing.leaseMs;
}
