import { CalendarError, type IsoDate, type TradingCalendar } from '@scanner/market-calendar';
import { lastClosedSession } from '../cli/parse-cli.js';

export type TriggerDate =
  | { readonly ok: true; readonly date: IsoDate }
  | { readonly ok: false; readonly code: 'NOT_A_TRADING_DAY' | 'SESSION_NOT_CLOSED'; readonly message: string };

/**
 * The session a `POST /trigger` runs, by the CLI's rules for `run`: the date asked for if its regular
 * market has closed by `now`, or the last closed session when none is given. Pure.
 */
export function triggerDate(calendar: TradingCalendar, now: Date, requested: IsoDate | null): TriggerDate {
  if (requested === null) return { ok: true, date: lastClosedSession({ calendar, now }) };
  let info;
  try {
    info = calendar.describe(requested);
  } catch (error) {
    if (error instanceof CalendarError) return { ok: false, code: 'NOT_A_TRADING_DAY', message: `${requested}: ${error.message}` };
    throw error;
  }
  if (!info.isTradingDay || info.session === null) {
    return { ok: false, code: 'NOT_A_TRADING_DAY', message: `${requested} is not a trading day (${info.closure?.reason ?? 'market closed'}); nothing to run` };
  }
  if (info.session.marketClose.getTime() > now.getTime()) {
    return { ok: false, code: 'SESSION_NOT_CLOSED', message: `the ${requested} session closes at ${info.session.marketClose.toISOString()}; its data is not final yet` };
  }
  return { ok: true, date: requested };
}
