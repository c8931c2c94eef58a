import { CalendarError } from './errors.js';
import { type IsoDate, formatDayNumber, parseIsoDate } from './civil-date.js';

/**
 * Conversions between UTC instants and New York wall-clock time, through the IANA time-zone data
 * that ships with Node (`Intl`), so DST rules (2007 onwards and before) come from tzdata, not from us.
 */
export const MARKET_TIME_ZONE = 'America/New_York';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

const formatter = new Intl.DateTimeFormat('en-US', {
  timeZone: MARKET_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

export interface WallTime {
  /** The New York calendar date. */
  readonly date: IsoDate;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

// UTC offsets only change on whole hours in New York, so one lookup serves a whole UTC hour; the
// memo holds the last hour asked about, which is what a service asking about "now" keeps hitting.
let memoHour = Number.NaN;
let memoOffsetMs = 0;

/** The day number (days since 1970-01-01) of the New York date at an instant. */
export function newYorkDayNumber(epochMs: number): number {
  return Math.floor((epochMs + newYorkOffsetMs(epochMs)) / 86_400_000);
}

/** New York's offset from UTC at an instant, in ms (-5 h in winter, -4 h in summer). */
export function newYorkOffsetMs(epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  if (hour === memoHour) return memoOffsetMs;
  const f = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter.formatToParts(hour * HOUR_MS)) {
    if (part.type in f) f[part.type as keyof typeof f] = Number(part.value);
  }
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  memoHour = hour;
  memoOffsetMs = asUtc - hour * HOUR_MS;
  return memoOffsetMs;
}

/** The epoch ms of a valid `Date`; `INVALID_INSTANT` for anything else. */
export function epochMsOf(instant: Date): number {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new CalendarError('INVALID_INSTANT', `expected a valid Date, got ${String(instant)}`);
  return ms;
}

/** The New York wall-clock reading of an instant. */
export function newYorkWallTime(instant: Date): WallTime {
  const ms = epochMsOf(instant);
  const dayNumber = newYorkDayNumber(ms);
  const msOfDay = ms + newYorkOffsetMs(ms) - dayNumber * 86_400_000;
  return {
    date: formatDayNumber(dayNumber),
    hour: Math.floor(msOfDay / HOUR_MS),
    minute: Math.floor((msOfDay % HOUR_MS) / MINUTE_MS),
    second: Math.floor((msOfDay % MINUTE_MS) / 1000),
  };
}

/** The New York calendar date an instant falls on: the date every trading question starts from. */
export function newYorkDateOf(instant: Date): IsoDate {
  return newYorkWallTime(instant).date;
}

/**
 * The instant New York's clocks read `hour:minute` on `date`. A reading that does not exist (inside
 * the spring-forward gap, 02:00-02:59 on the March switch) is refused; a reading that happens twice
 * (01:00-01:59 on the November switch) resolves to the first, daylight-time one.
 */
export function newYorkInstant(date: IsoDate, hour: number, minute = 0): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new CalendarError('INVALID_TIME', `expected a wall time 00:00-23:59, got ${hour}:${minute}`);
  }
  return new Date(newYorkEpochMs(parseIsoDate(date), hour * 60 + minute, date));
}

/** Same as `newYorkInstant`, from a day number and minutes after midnight; the calendar's fast path. */
export function newYorkEpochMs(dayNumber: number, minuteOfDay: number, label?: string): number {
  const wall = dayNumber * 86_400_000 + minuteOfDay * MINUTE_MS;
  // New York is UTC-4 or UTC-5. Trying daylight time (-4) first maps a repeated reading to its first
  // occurrence; a reading neither offset produces lies in the spring-forward gap.
  for (const candidate of [wall + 4 * HOUR_MS, wall + 5 * HOUR_MS]) {
    if (candidate + newYorkOffsetMs(candidate) === wall) return candidate;
  }
  const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
  const mm = String(minuteOfDay % 60).padStart(2, '0');
  throw new CalendarError('INVALID_TIME', `${hh}:${mm} does not exist in New York on ${label ?? formatDayNumber(dayNumber)} (DST gap)`);
}

/** Parses `HH:MM` (24-hour) into minutes after midnight; for schedule and session configuration. */
export function parseWallClock(value: unknown): number {
  const match = typeof value === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value) : null;
  if (!match) throw new CalendarError('INVALID_TIME', `expected a time as HH:MM (24-hour), got ${JSON.stringify(value)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}
