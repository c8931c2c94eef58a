export { CalendarError, type CalendarErrorCode } from './errors.js';
export {
  FIRST_SUPPORTED_YEAR,
  LAST_SUPPORTED_YEAR,
  Weekday,
  addCalendarDays,
  isValidIsoDate,
  parseIsoDate,
  weekdayOfDate,
  type IsoDate,
} from './civil-date.js';
export { easterSunday } from './easter.js';
export {
  MARKET_TIME_ZONE,
  newYorkDateOf,
  newYorkInstant,
  newYorkOffsetMs,
  newYorkWallTime,
  parseWallClock,
  type WallTime,
} from './new-york-time.js';
export { NYSE_ONE_OFF_CLOSURES, NYSE_ONE_OFF_EARLY_CLOSES, type SpecialDay } from './one-off-closures.js';
export {
  EARLY_CLOSE_DAY_SLOTS,
  EARLY_MARKET_CLOSE_MINUTE,
  EARLY_POST_MARKET_CLOSE_MINUTE,
  FULL_DAY_SLOTS,
  MARKET_CLOSE_MINUTE,
  MARKET_OPEN_MINUTE,
  POST_MARKET_CLOSE_MINUTE,
  PRE_MARKET_OPEN_MINUTE,
  SLOT_MINUTES,
  type MarketSession,
} from './session-hours.js';
export {
  TradingCalendar,
  createTradingCalendar,
  nyseCalendar,
  type Closure,
  type ClosureKind,
  type DayInfo,
  type SessionTimes,
  type Slot,
  type TradingCalendarOptions,
} from './trading-calendar.js';
export { ManualClock, systemClock, type Clock } from './clock.js';
