import { type IsoDate, type TradingCalendar, newYorkWallTime } from '@scanner/market-calendar';

/**
 * The trading day the new-day job announces at `now`: the latest session whose announcement time
 * (`newDayMinute` after New York midnight) has passed. Before 03:00 on a Tuesday that is still Monday;
 * on a Saturday, Friday. The only day the service may ever publish: never an earlier one.
 */
export function announcedTradingDay(calendar: TradingCalendar, now: Date, newDayMinute: number): IsoDate {
  const wall = newYorkWallTime(now);
  const minute = wall.hour * 60 + wall.minute;
  if (calendar.isTradingDay(wall.date) && minute >= newDayMinute) return wall.date;
  return calendar.previousTradingDay(wall.date);
}
