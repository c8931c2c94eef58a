import type { IsoDate, TradingCalendar } from '@scanner/market-calendar';
import { addCalendarDays } from '@scanner/market-calendar';

export interface CalendarLine {
  readonly date: IsoDate;
  readonly trading_day: boolean;
  readonly early_close: boolean;
  /** Why the market is closed (weekend, holiday, special closure); null on a trading day. */
  readonly closure: string | null;
  readonly pre_market_open: string | null;
  readonly market_open: string | null;
  readonly market_close: string | null;
  readonly post_market_close: string | null;
}

/** One line per calendar date of the range, closed days included, session instants as ISO UTC. */
export function* calendarLines(calendar: TradingCalendar, from: IsoDate, to: IsoDate): Generator<CalendarLine> {
  for (let date = from; date <= to; date = addCalendarDays(date, 1)) {
    const day = calendar.describe(date);
    const s = day.session;
    yield {
      date,
      trading_day: day.isTradingDay,
      early_close: s?.earlyClose ?? false,
      closure: day.closure?.reason ?? null,
      pre_market_open: s ? s.preMarketOpen.toISOString() : null,
      market_open: s ? s.marketOpen.toISOString() : null,
      market_close: s ? s.marketClose.toISOString() : null,
      post_market_close: s ? s.postMarketClose.toISOString() : null,
    };
  }
}
