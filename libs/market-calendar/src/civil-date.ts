import { CalendarError } from './errors.js';

/**
 * Calendar dates as plain `YYYY-MM-DD` strings at the API, and as day numbers (days since 1970-01-01)
 * inside, so that date arithmetic never goes through a `Date` and never picks up a time zone.
 */
export type IsoDate = string;

/** The years whose rules and one-off closures this calendar knows. */
export const FIRST_SUPPORTED_YEAR = 2000;
export const LAST_SUPPORTED_YEAR = 2099;

/** 0 Sunday .. 6 Saturday, as `Date#getUTCDay` numbers them. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export const Weekday = {
  Sunday: 0,
  Monday: 1,
  Tuesday: 2,
  Wednesday: 3,
  Thursday: 4,
  Friday: 5,
  Saturday: 6,
} as const satisfies Record<string, Weekday>;

export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
export function dayNumberOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilOf(dayNumber: number): CivilDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function weekdayOf(dayNumber: number): Weekday {
  // 1970-01-01 was a Thursday.
  return ((((dayNumber + 4) % 7) + 7) % 7) as Weekday;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatDayNumber(dayNumber: number): IsoDate {
  const { year, month, day } = civilOf(dayNumber);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/**
 * Parses a `YYYY-MM-DD` date and checks it exists and lies in the supported years.
 * Throws `INVALID_DATE` for anything else and `OUT_OF_RANGE` for a real date outside them.
 */
export function parseIsoDate(value: unknown): number {
  if (typeof value !== 'string') {
    throw new CalendarError('INVALID_DATE', `expected a date as YYYY-MM-DD, got ${typeof value}`);
  }
  const match = ISO_DATE.exec(value);
  if (!match) {
    throw new CalendarError('INVALID_DATE', `expected a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new CalendarError('INVALID_DATE', `${value} is not a date on the calendar`);
  }
  if (year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) {
    throw new CalendarError(
      'OUT_OF_RANGE',
      `${value} is outside the supported years ${FIRST_SUPPORTED_YEAR}-${LAST_SUPPORTED_YEAR}`,
    );
  }
  return dayNumberOf(year, month, day);
}

/** True for a well-formed, existing date in the supported years. */
export function isValidIsoDate(value: unknown): value is IsoDate {
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

/** `date` moved by `days` calendar days (negative goes back). */
export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new CalendarError('INVALID_ARGUMENT', `days must be an integer, got ${days}`);
  return formatDayNumber(parseIsoDate(date) + days);
}

/** The day of the week of a date: 0 Sunday .. 6 Saturday. */
export function weekdayOfDate(date: IsoDate): Weekday {
  return weekdayOf(parseIsoDate(date));
}
