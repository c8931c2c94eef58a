import { type IsoDate, type TradingCalendar, newYorkInstant } from '@scanner/market-calendar';
import { checkDate } from './key-parts.js';
import { RedisKeyError } from './redis-key-error.js';

/** The daily maintenance run, 17:00 New York, on early-close days too. */
export const DEFAULT_MAINTENANCE_MINUTE_OF_DAY = 17 * 60;

/** Room for a cycle that runs long or is caught up after a restart before the value goes. */
export const DEFAULT_TTL_GRACE_SECONDS = 6 * 3600;

export interface CalendarExpiryOptions {
  /** The session the value was computed from. */
  readonly sessionDate: IsoDate;
  readonly calendar: TradingCalendar;
  /** When the daily maintenance runs, in minutes after New York midnight. */
  readonly maintenanceMinuteOfDay?: number;
  readonly graceSeconds?: number;
}

export interface CalendarTtlOptions extends CalendarExpiryOptions {
  /** When the value is written. */
  readonly now: Date;
}

/**
 * When a value computed for `sessionDate` may expire: the maintenance time on the next trading day
 * (the run that replaces the value), plus grace. A writer that must know whether a value is already
 * past it (re-running an old date) compares with this; `calendarTtlSeconds` never says less than 1 s.
 * Throws RedisKeyError for bad options, and the calendar's CalendarError for a session it cannot see past.
 */
export function calendarExpiresAt(options: CalendarExpiryOptions): Date {
  const {
    sessionDate,
    calendar,
    maintenanceMinuteOfDay = DEFAULT_MAINTENANCE_MINUTE_OF_DAY,
    graceSeconds = DEFAULT_TTL_GRACE_SECONDS,
  } = options;
  checkDate(sessionDate);
  if (!Number.isInteger(maintenanceMinuteOfDay) || maintenanceMinuteOfDay < 0 || maintenanceMinuteOfDay >= 24 * 60) {
    throw new RedisKeyError(
      'INVALID_ARGUMENT',
      `maintenanceMinuteOfDay must be an integer 0-1439, got ${maintenanceMinuteOfDay}`,
    );
  }
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
    throw new RedisKeyError('INVALID_ARGUMENT', `graceSeconds must be >= 0, got ${graceSeconds}`);
  }
  const nextSession = calendar.nextTradingDay(sessionDate);
  const nextRun = newYorkInstant(nextSession, Math.floor(maintenanceMinuteOfDay / 60), maintenanceMinuteOfDay % 60);
  return new Date(nextRun.getTime() + graceSeconds * 1000);
}

/**
 * Seconds until a value computed for `sessionDate` may expire (`calendarExpiresAt`). Unlike a fixed
 * 24 h it survives weekends and holidays: Friday's values live until Monday evening, when Monday's run
 * has rewritten them. At least 1, so the result can always go to EXPIRE / SET EX.
 */
export function calendarTtlSeconds(options: CalendarTtlOptions): number {
  const nowMs = options.now instanceof Date ? options.now.getTime() : Number.NaN;
  if (!Number.isFinite(nowMs)) throw new RedisKeyError('INVALID_ARGUMENT', `now must be a valid Date, got ${String(options.now)}`);
  return Math.max(1, Math.ceil((calendarExpiresAt(options).getTime() - nowMs) / 1000));
}
