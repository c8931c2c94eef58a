import type { IsoDate, TradingCalendar } from '@scanner/market-calendar';
import { calendarExpiresAt, calendarTtlSeconds } from '@scanner/redis-keys';

export type RedisCurrency =
  | { readonly write: true; readonly ttlSeconds: number }
  | { readonly write: false; readonly reason: string };

export interface RedisCurrencyInput {
  readonly date: IsoDate;
  /** `maintenance:last_run`: the session the caches were last fully built from. */
  readonly lastRun: IsoDate | null;
  readonly now: Date;
  readonly calendar: TradingCalendar;
  readonly maintenanceMinuteOfDay: number;
  readonly graceSeconds: number;
}

/**
 * Whether a run for `date` may write the per-ticker caches and the universe, and with which TTL.
 * Redis holds the values of the newest session only: re-running an older date (a repair, a backfill)
 * must neither roll the caches back to older values nor write keys whose calendar TTL has already run
 * out (they would expire at once and readers would find them missing). The database is written either way.
 */
export function redisCurrency(input: RedisCurrencyInput): RedisCurrency {
  const { date, lastRun, now, calendar, maintenanceMinuteOfDay, graceSeconds } = input;
  if (lastRun !== null && date < lastRun) {
    return { write: false, reason: `the Redis caches hold the newer session ${lastRun}` };
  }
  const lifetime = { sessionDate: date, calendar, maintenanceMinuteOfDay, graceSeconds };
  const expiresAt = calendarExpiresAt(lifetime);
  if (expiresAt.getTime() <= now.getTime()) {
    return {
      write: false,
      reason: `values of ${date} expired at ${expiresAt.toISOString()} (after the ${calendar.nextTradingDay(date)} run); a newer session's run writes the caches`,
    };
  }
  return { write: true, ttlSeconds: calendarTtlSeconds({ ...lifetime, now }) };
}
