import { type IsoDate, type TradingCalendar, newYorkInstant } from '@scanner/market-calendar';
import { calendarTtlSeconds } from '@scanner/redis-keys';

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
  const next = calendar.nextTradingDay(date);
  const expiresAt = newYorkInstant(next, Math.floor(maintenanceMinuteOfDay / 60), maintenanceMinuteOfDay % 60).getTime() + graceSeconds * 1000;
  if (expiresAt <= now.getTime()) {
    return {
      write: false,
      reason: `values of ${date} expired at ${new Date(expiresAt).toISOString()} (after the ${next} run); a newer session's run writes the caches`,
    };
  }
  return { write: true, ttlSeconds: calendarTtlSeconds({ sessionDate: date, now, calendar, maintenanceMinuteOfDay, graceSeconds }) };
}
