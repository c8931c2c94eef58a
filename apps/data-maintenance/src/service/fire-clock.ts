/**
 * A scheduled fire the service's clock disagrees with by more than this (a clock jump, a host that was
 * suspended, an offset clock in a test) is left to catch-up, which reads the clock and the ledgers.
 */
export const FIRE_TOLERANCE_MS = 60 * 60_000;

/** Whether node-schedule's fire (on the system clock) is due by the service's clock too. */
export function fireAgreesWithClock(scheduledAt: Date, now: Date): boolean {
  return Math.abs(now.getTime() - scheduledAt.getTime()) <= FIRE_TOLERANCE_MS;
}
