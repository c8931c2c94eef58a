import {
  MARKET_CLOSE_MINUTE,
  MARKET_OPEN_MINUTE as MARKET_OPEN,
  POST_MARKET_CLOSE_MINUTE,
  PRE_MARKET_OPEN_MINUTE as PRE_MARKET_OPEN,
} from '@scanner/market-calendar';

/**
 * How a day's volume is spread over New York time, as shares of the whole day (the shares sum to 1):
 * a thin pre-market that picks up after 08:00, a U-shaped regular session (four times the midday rate
 * at the open and the close), and a thin post-market. Minutes are minutes after New York midnight.
 */

const PRE_MARKET_BUSY = 8 * 60;
/** The post-market lasts four hours after the close, on early-close days too (13:00-17:00). */
const POST_MARKET_MINUTES = POST_MARKET_CLOSE_MINUTE - MARKET_CLOSE_MINUTE;

const EARLY_PRE_SHARE = 0.01;
const LATE_PRE_SHARE = 0.03;
const REGULAR_SHARE = 0.9;
const POST_SHARE = 0.06;

/** U shape over the regular session, x in [0, 1]: density 1 + 3(2x-1)^2, normalised to integrate to 1. */
const uDensity = (x: number): number => (1 + 3 * (2 * x - 1) ** 2) / 2;
/** Its integral from 0 to x. */
const uCumulative = (x: number): number => (x + ((2 * x - 1) ** 3 + 1) / 2) / 2;

/** Share of the day's volume traded per minute at `minute`; `regularMinutes` is 390, or 210 on an early close. */
export function volumeIntensity(minute: number, regularMinutes: number): number {
  const close = MARKET_OPEN + regularMinutes;
  if (minute < PRE_MARKET_OPEN) return 0;
  if (minute < PRE_MARKET_BUSY) return EARLY_PRE_SHARE / (PRE_MARKET_BUSY - PRE_MARKET_OPEN);
  if (minute < MARKET_OPEN) return LATE_PRE_SHARE / (MARKET_OPEN - PRE_MARKET_BUSY);
  if (minute < close) return (REGULAR_SHARE * uDensity((minute - MARKET_OPEN) / regularMinutes)) / regularMinutes;
  if (minute < close + POST_MARKET_MINUTES) return POST_SHARE / POST_MARKET_MINUTES;
  return 0;
}

/** Share of the day's volume traded by `minute`: 0 before 04:00, 1 after the post-market. */
export function cumulativeVolumeShare(minute: number, regularMinutes: number): number {
  const close = MARKET_OPEN + regularMinutes;
  const within = (from: number, to: number) => Math.min(1, Math.max(0, (minute - from) / (to - from)));
  if (minute < MARKET_OPEN) {
    return EARLY_PRE_SHARE * within(PRE_MARKET_OPEN, PRE_MARKET_BUSY) + LATE_PRE_SHARE * within(PRE_MARKET_BUSY, MARKET_OPEN);
  }
  const pre = EARLY_PRE_SHARE + LATE_PRE_SHARE;
  if (minute < close) return pre + REGULAR_SHARE * uCumulative(within(MARKET_OPEN, close));
  return pre + REGULAR_SHARE + POST_SHARE * within(close, close + POST_MARKET_MINUTES);
}

/** The regular session's mean intensity: trade rates are scaled against it. */
export function meanRegularIntensity(regularMinutes: number): number {
  return REGULAR_SHARE / regularMinutes;
}

