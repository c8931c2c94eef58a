import { type IsoDate, type TradingCalendar, newYorkDateOf } from '@scanner/market-calendar';
import type { ScannerRow } from '@scanner/shared-types';

// Upstream writes epoch numbers in seconds (Python's time.time()) or milliseconds; no instant this
// system handles is before 2001-09-09 in ms, so anything below 1e12 is seconds.
const MS_THRESHOLD = 1e12;

/** The instant a row or entry timestamp names, or null when it is not a usable instant. */
export function instantOf(timestamp: string | number): Date | null {
  const ms = typeof timestamp === 'number' ? (timestamp < MS_THRESHOLD ? timestamp * 1000 : timestamp) : Date.parse(timestamp);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

/**
 * The trading day data produced at `instant` belongs to: the New York date's trading day, or the one
 * before it when that date does not trade (Saturday's leftovers are Friday's). Null outside the calendar.
 */
export function tradingDayOf(instant: Date, calendar: TradingCalendar): IsoDate | null {
  try {
    return calendar.tradingDayOnOrBefore(newYorkDateOf(instant));
  } catch {
    return null;
  }
}

/** The epoch to use when Redis has no `trading:current_day`: the trading day on or before today in New York. */
export function calendarEpoch(now: Date, calendar: TradingCalendar): IsoDate {
  return calendar.tradingDayOnOrBefore(newYorkDateOf(now));
}

/** The newest production instant among the rows: when the list as a whole was last produced. */
export function latestRowInstant(rows: readonly ScannerRow[]): Date | null {
  let latest: Date | null = null;
  for (const row of rows) {
    const instant = instantOf(row.timestamp);
    if (instant !== null && (latest === null || instant.getTime() > latest.getTime())) latest = instant;
  }
  return latest;
}
