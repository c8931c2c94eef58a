import { normal } from './hash.js';
import type { TickerProfile } from './ticker-profile.js';

/**
 * Daily anchor prices in O(1) per (ticker, day): the log close is a sum of slow per-ticker
 * sinusoids over the calendar day number plus hashed per-day noise, so any day is computed without
 * walking from an anchor date, and consecutive sessions stay continuous (the open is the previous
 * close plus a small gap).
 */

const Salt = { Close: 11, Gap: 12 } as const;

/** Spread of the daily noise around the trend, in daily volatilities. */
const CLOSE_NOISE = 0.6;
/** Spread of the overnight gap, in daily volatilities. */
const GAP_NOISE = 0.35;

export function trendLogPrice(profile: TickerProfile, dayNumber: number): number {
  let log = Math.log(profile.basePrice);
  for (const cycle of profile.cycles) {
    log += cycle.amplitude * Math.sin((2 * Math.PI * dayNumber) / cycle.periodDays + cycle.phase);
  }
  return log;
}

/** Log of the regular-session close on `dayNumber`. */
export function closeLogPrice(profile: TickerProfile, dayNumber: number): number {
  return trendLogPrice(profile, dayNumber) + CLOSE_NOISE * profile.dailyVolatility * normal(profile.key, Salt.Close, dayNumber);
}

/** Log of the regular-session open on `dayNumber`, given the previous session's log close. */
export function openLogPrice(profile: TickerProfile, dayNumber: number, previousCloseLog: number): number {
  return previousCloseLog + GAP_NOISE * profile.dailyVolatility * normal(profile.key, Salt.Gap, dayNumber);
}

/** Prices as the tape prints them: cents from $1, hundredths of a cent below. */
export function roundPrice(price: number): number {
  return price >= 1 ? Math.round(price * 100) / 100 : Math.max(0.0001, Math.round(price * 10_000) / 10_000);
}
