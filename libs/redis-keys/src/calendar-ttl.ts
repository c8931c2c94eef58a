import { type IsoDate, type TradingCalendar, newYorkInstant } from '@scanner/market-calendar';
import { checkDate } from './key-parts.js';
import { RedisKeyError } from './redis-key-error.js';

/** The daily maintenance run, 17:00 New York, on early-close days too. */
export const DEFAULT_MAINTENANCE_MINUTE_OF_DAY = 17 * 60;

/** Room for a cycle that runs long or is caught up after a restart before the value goes. */
export const DEFAULT_TTL_GRACE_SECONDS = 6 * 3600;

export interface CalendarTtlOptions {
  /** The session the value was computed from. */
  readonly sessionDate: IsoDate;
  /** When the value is written. */
  readonly now: Date;
  readonly calendar: TradingCalendar;
  /** When the daily maintenance runs, in minutes after New York midnight. */
  readonly maintenanceMinuteOfDay?: number;
  readonly graceSeconds?: number;
}

/**
 * Seconds until a value computed for `sessionDate` may expire: the maintenance time on the next
 * trading day (the run that replaces the value), plus grace. Unlike a fixed 24 h it survives weekends
 * and holidays: Friday's values live until Monday evening, when Monday's run has rewritten them.
 * At least 1, so the result can always go to EXPIRE / SET EX. Throws RedisKeyError for bad options, and
 * the calendar's CalendarError for a session it cannot see past (the end of its last supported year).
 */
export function calendarTtlSeconds(options: CalendarTtlOptions): number {
  const {
    sessionDate,
    now,
    calendar,
    maintenanceMinuteOfDay = DEFAULT_MAINTENANCE_MINUTE_OF_DAY,
    graceSeconds = DEFAULT_TTL_GRACE_SECONDS,
  } = options;
  checkDate(sessionDate);
  const nowMs = now instanceof Date ? now.getTime() : Number.NaN;
  if (!Number.isFinite(nowMs)) throw new RedisKeyError('INVALID_ARGUMENT', `now must be a valid Date, got ${String(now)}`);
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
  const expiresAtMs = nextRun.getTime() + graceSeconds * 1000;
  return Math.max(1, Math.ceil((expiresAtMs - nowMs) / 1000));
}
