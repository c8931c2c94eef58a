import { type IsoDate, type TradingCalendar, newYorkDateOf, newYorkWallTime } from '@scanner/market-calendar';

/** The maintenance service's NEW_DAY_TIME default, 03:00 New York, in minutes after midnight. */
export const NEW_DAY_MINUTE = 3 * 60;

/**
 * What `maintenance new-day` announces at `now`: the latest session whose 03:00 has passed. The rule of
 * apps/data-maintenance/src/core/announced-trading-day.ts, restated because an app may not import
 * another app (Nx module boundaries); the test asserts the CLI's own answer against it.
 */
export function announcedTradingDay(calendar: TradingCalendar, now: Date): IsoDate {
  const wall = newYorkWallTime(now);
  if (calendar.isTradingDay(wall.date) && wall.hour * 60 + wall.minute >= NEW_DAY_MINUTE) return wall.date;
  return calendar.previousTradingDay(wall.date);
}

export interface DemoDays {
  /** The day the page starts on: the trading day before the announced one. */
  readonly previous: IsoDate;
  /** The day `maintenance new-day` announces now. */
  readonly announced: IsoDate;
  /**
   * The trading day a feed writing at `now` produces (the New York date's, or the one before on a
   * closed day). The same as `announced` except between midnight and 03:00 of a trading day, when
   * upstream's first write already turns the server to the next day on its own.
   */
  readonly live: IsoDate;
  /** Noon New York of `previous`: where the "yesterday" feed's shifted clock starts (the market is open). */
  readonly previousMidSession: Date;
}

export function demoDays(calendar: TradingCalendar, now: Date): DemoDays {
  const announced = announcedTradingDay(calendar, now);
  const previous = calendar.previousTradingDay(announced);
  const { marketOpen } = calendar.session(previous);
  return {
    previous,
    announced,
    live: calendar.tradingDayOnOrBefore(newYorkDateOf(now)),
    previousMidSession: new Date(marketOpen.getTime() + 150 * 60_000),
  };
}
