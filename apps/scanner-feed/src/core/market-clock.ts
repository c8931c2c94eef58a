import {
  type IsoDate,
  MARKET_OPEN_MINUTE,
  type MarketSession,
  SLOT_MINUTES,
  type TradingCalendar,
  newYorkDateOf,
  newYorkWallTime,
} from '@scanner/market-calendar';

/** Where an instant falls for the synthetic market. */
export interface MarketMoment {
  /** The trading day the data belongs to: today from its 04:00 pre-market open, else the previous one. */
  readonly sessionDate: IsoDate;
  /** The calendar's session at that instant, stamped on the rows. */
  readonly session: MarketSession;
  /** Minute of the New York day the volume profile is read at. */
  readonly profileMinute: number;
  /** 390, or 210 on an early-close day. */
  readonly regularMinutes: number;
  /** True while the real market is closed and a regular session is being played instead. */
  readonly replay: boolean;
}

/**
 * The feed is a development tool that must show moving lists at any hour: while the real market is
 * closed (nights, weekends, holidays) it plays a regular session at real speed, starting at 09:30 from
 * `replayOrigin` (when the market was created) and wrapping at the close. The session stamp stays true.
 */
export function marketMomentOf(instant: Date, calendar: TradingCalendar, replayOrigin: Date): MarketMoment {
  const sessionDate = sessionDateOf(instant, calendar);
  const session = calendar.sessionAt(instant);
  const regularMinutes = calendar.slotCount(sessionDate) * SLOT_MINUTES;
  if (session !== 'CLOSED') {
    const wall = newYorkWallTime(instant);
    return { sessionDate, session, profileMinute: wall.hour * 60 + wall.minute + wall.second / 60, regularMinutes, replay: false };
  }
  const elapsedMinutes = Math.max(0, (instant.getTime() - replayOrigin.getTime()) / 60_000);
  const profileMinute = MARKET_OPEN_MINUTE + (elapsedMinutes % regularMinutes);
  return { sessionDate, session, profileMinute, regularMinutes, replay: true };
}

/** Yesterday's lists stay up overnight until the pre-market opens, as the production scanner's do. */
export function sessionDateOf(instant: Date, calendar: TradingCalendar): IsoDate {
  const today = newYorkDateOf(instant);
  if (!calendar.isTradingDay(today)) return calendar.tradingDayOnOrBefore(today);
  return instant.getTime() >= calendar.session(today).preMarketOpen.getTime() ? today : calendar.previousTradingDay(today);
}
