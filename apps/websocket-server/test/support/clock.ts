import type { Clock } from '@scanner/market-calendar';

/**
 * A clock that starts at a chosen instant and then runs in real time: tests stand on a known trading
 * day while rate limits, timeouts and slow-consumer timers see real elapsed time.
 */
export function clockStartingAt(iso: string): Clock {
  const offset = Date.parse(iso) - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

/** Wednesday 2025-11-26, 10:00 in New York: a full trading day, the seed walkthrough's date. */
export const TRADING_DAY = '2025-11-26';
export const PREVIOUS_TRADING_DAY = '2025-11-25';
export const DURING_SESSION = '2025-11-26T15:00:00.000Z';
/** 03:00 New York on 2025-11-26: the new day is announced, Redis still holds the 25th's lists. */
export const NEW_DAY_MORNING = '2025-11-26T08:00:00.000Z';
