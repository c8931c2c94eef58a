import {
  FIRST_SUPPORTED_YEAR,
  LAST_SUPPORTED_YEAR,
  type IsoDate,
  Weekday,
  civilOf,
  dayNumberOf,
  formatDayNumber,
  parseIsoDate,
  weekdayOf,
} from './civil-date.js';
import { CalendarError } from './errors.js';
import { epochMsOf, newYorkDayNumber, newYorkEpochMs } from './new-york-time.js';
import { NYSE_ONE_OFF_CLOSURES, NYSE_ONE_OFF_EARLY_CLOSES, type SpecialDay } from './one-off-closures.js';
import { nyseRulesForYear } from './nyse-rules.js';
import {
  EARLY_CLOSE_DAY_SLOTS,
  EARLY_MARKET_CLOSE_MINUTE,
  EARLY_POST_MARKET_CLOSE_MINUTE,
  FULL_DAY_SLOTS,
  MARKET_CLOSE_MINUTE,
  MARKET_OPEN_MINUTE,
  type MarketSession,
  POST_MARKET_CLOSE_MINUTE,
  PRE_MARKET_OPEN_MINUTE,
  SLOT_MINUTES,
} from './session-hours.js';

export type ClosureKind = 'weekend' | 'holiday' | 'special';

export interface Closure {
  readonly kind: ClosureKind;
  readonly reason: string;
}

/** A trading day's boundaries as exact instants. */
export interface SessionTimes {
  readonly date: IsoDate;
  readonly earlyClose: boolean;
  /** 04:00 New York. */
  readonly preMarketOpen: Date;
  /** 09:30 New York. */
  readonly marketOpen: Date;
  /** 16:00 New York, 13:00 on an early-close day. */
  readonly marketClose: Date;
  /** 20:00 New York, 17:00 on an early-close day. */
  readonly postMarketClose: Date;
  /** Five-minute slots of the regular session: 78, or 42 on an early-close day. */
  readonly slotCount: number;
}

export interface DayInfo {
  readonly date: IsoDate;
  readonly isTradingDay: boolean;
  /** Why the market is shut that day; null on a trading day. */
  readonly closure: Closure | null;
  /** Why the day closes at 13:00; null on a full day or a closed day. */
  readonly earlyCloseReason: string | null;
  readonly session: SessionTimes | null;
}

export interface Slot {
  readonly date: IsoDate;
  /** 0-based index in the regular session: 0 is 09:30-09:35. */
  readonly index: number;
  readonly start: Date;
  readonly end: Date;
}

export interface TradingCalendarOptions {
  /** Full-day closures announced after this release (a day of mourning, a storm). */
  readonly extraClosures?: readonly SpecialDay[];
  /** 13:00 closes announced after this release. */
  readonly extraEarlyCloses?: readonly SpecialDay[];
}

interface YearTable {
  readonly closures: ReadonlyMap<number, Closure>;
  readonly earlyCloses: ReadonlyMap<number, string>;
}

interface SessionEpochs {
  readonly date: IsoDate;
  readonly earlyClose: boolean;
  readonly preMarketOpen: number;
  readonly marketOpen: number;
  readonly marketClose: number;
  readonly postMarketClose: number;
}

const SLOT_MS = SLOT_MINUTES * 60_000;
const FIRST_DAY = dayNumberOf(FIRST_SUPPORTED_YEAR, 1, 1);
const LAST_DAY = dayNumberOf(LAST_SUPPORTED_YEAR, 12, 31);
/** No run of closed days is longer than this (September 2001: four weekdays plus a weekend). */
const MAX_SEARCH_DAYS = 30;
/** Enough for any backfill or lookback the services ask for; guards against a runaway argument. */
const MAX_SESSIONS = 40_000;

const WEEKEND: Closure = Object.freeze({ kind: 'weekend', reason: 'Weekend' });

function isWeekend(dayNumber: number): boolean {
  const weekday = weekdayOf(dayNumber);
  return weekday === Weekday.Saturday || weekday === Weekday.Sunday;
}

function indexSpecialDays(days: readonly SpecialDay[], label: string): Map<number, string> {
  const byDay = new Map<number, string>();
  for (const day of days) {
    if (typeof day?.reason !== 'string' || day.reason.trim() === '') {
      throw new CalendarError('INVALID_ARGUMENT', `${label} on ${String(day?.date)} needs a reason`);
    }
    byDay.set(parseIsoDate(day.date), day.reason);
  }
  return byDay;
}

/**
 * The NYSE trading calendar: which days trade, when each session starts and ends, and day
 * arithmetic over trading days. Pure and deterministic; per-year tables and per-day sessions are
 * computed once and kept, so the hot questions (`sessionAt`, `isTradingDay`) cost a map lookup.
 */
export class TradingCalendar {
  private readonly extraClosures: ReadonlyMap<number, string>;
  private readonly extraEarlyCloses: ReadonlyMap<number, string>;
  private readonly years = new Map<number, YearTable>();
  private readonly sessions = new Map<number, SessionEpochs>();

  constructor(options: TradingCalendarOptions = {}) {
    this.extraClosures = indexSpecialDays(options.extraClosures ?? [], 'an extra closure');
    this.extraEarlyCloses = indexSpecialDays(options.extraEarlyCloses ?? [], 'an extra early close');
  }

  isTradingDay(date: IsoDate): boolean {
    return this.closureOf(parseIsoDate(date)) === null;
  }

  isEarlyClose(date: IsoDate): boolean {
    const dayNumber = parseIsoDate(date);
    return this.closureOf(dayNumber) === null && this.earlyCloseReasonOf(dayNumber) !== null;
  }

  /** Everything the calendar knows about one date. */
  describe(date: IsoDate): DayInfo {
    const dayNumber = parseIsoDate(date);
    const closure = this.closureOf(dayNumber);
    return {
      date,
      isTradingDay: closure === null,
      closure,
      earlyCloseReason: closure === null ? this.earlyCloseReasonOf(dayNumber) : null,
      session: closure === null ? sessionTimesOf(this.sessionEpochs(dayNumber)) : null,
    };
  }

  /** The session of a trading day; `NOT_A_TRADING_DAY` for any other date. */
  session(date: IsoDate): SessionTimes {
    const dayNumber = parseIsoDate(date);
    this.requireTradingDay(dayNumber, date);
    return sessionTimesOf(this.sessionEpochs(dayNumber));
  }

  /** Which part of the trading day an instant falls in; CLOSED on non-trading days and overnight. */
  sessionAt(instant: Date): MarketSession {
    const ms = epochMsOf(instant);
    const dayNumber = newYorkDayNumber(ms);
    if (dayNumber < FIRST_DAY || dayNumber > LAST_DAY || this.closureOf(dayNumber) !== null) return 'CLOSED';
    const s = this.sessionEpochs(dayNumber);
    if (ms < s.preMarketOpen) return 'CLOSED';
    if (ms < s.marketOpen) return 'PRE_MARKET';
    if (ms < s.marketClose) return 'MARKET_OPEN';
    if (ms < s.postMarketClose) return 'POST_MARKET';
    return 'CLOSED';
  }

  previousTradingDay(date: IsoDate): IsoDate {
    return formatDayNumber(this.seek(parseIsoDate(date) - 1, -1));
  }

  nextTradingDay(date: IsoDate): IsoDate {
    return formatDayNumber(this.seek(parseIsoDate(date) + 1, 1));
  }

  /** `date` itself when it trades, else the trading day before it. */
  tradingDayOnOrBefore(date: IsoDate): IsoDate {
    return formatDayNumber(this.seek(parseIsoDate(date), -1));
  }

  /** `date` itself when it trades, else the trading day after it. */
  tradingDayOnOrAfter(date: IsoDate): IsoDate {
    return formatDayNumber(this.seek(parseIsoDate(date), 1));
  }

  /** The last `count` trading days up to and including `upTo`, oldest first. */
  lastSessions(count: number, upTo: IsoDate): IsoDate[] {
    if (!Number.isInteger(count) || count < 0 || count > MAX_SESSIONS) {
      throw new CalendarError('INVALID_ARGUMENT', `count must be an integer 0-${MAX_SESSIONS}, got ${count}`);
    }
    const out: IsoDate[] = [];
    let dayNumber = parseIsoDate(upTo);
    while (out.length < count) {
      dayNumber = this.seek(dayNumber, -1);
      out.push(formatDayNumber(dayNumber));
      dayNumber -= 1;
    }
    return out.reverse();
  }

  /** The trading days from `from` to `to`, both included, oldest first. */
  sessionsBetween(from: IsoDate, to: IsoDate): IsoDate[] {
    const first = parseIsoDate(from);
    const last = parseIsoDate(to);
    if (first > last) throw new CalendarError('INVALID_RANGE', `range ${from}..${to} ends before it starts`);
    const out: IsoDate[] = [];
    for (let dayNumber = first; dayNumber <= last; dayNumber++) {
      if (this.closureOf(dayNumber) === null) out.push(formatDayNumber(dayNumber));
    }
    return out;
  }

  /** Full-day closures of a year (holidays and one-offs, weekends left out), in date order. */
  closuresIn(year: number): Array<{ date: IsoDate } & Closure> {
    const table = this.yearTable(this.checkYear(year));
    return [...table.closures]
      .filter(([dayNumber]) => !isWeekend(dayNumber))
      .sort(([a], [b]) => a - b)
      .map(([dayNumber, closure]) => ({ date: formatDayNumber(dayNumber), ...closure }));
  }

  /** 13:00 closes of a year, in date order. */
  earlyClosesIn(year: number): SpecialDay[] {
    const table = this.yearTable(this.checkYear(year));
    return [...table.earlyCloses]
      .filter(([dayNumber]) => this.closureOf(dayNumber) === null)
      .sort(([a], [b]) => a - b)
      .map(([dayNumber, reason]) => ({ date: formatDayNumber(dayNumber), reason }));
  }

  slotCount(date: IsoDate): number {
    const dayNumber = parseIsoDate(date);
    this.requireTradingDay(dayNumber, date);
    return this.sessionEpochs(dayNumber).earlyClose ? EARLY_CLOSE_DAY_SLOTS : FULL_DAY_SLOTS;
  }

  /** The five-minute slot of the regular session an instant falls in, or null outside 09:30-close. */
  slotAt(instant: Date): Slot | null {
    const ms = epochMsOf(instant);
    const dayNumber = newYorkDayNumber(ms);
    if (dayNumber < FIRST_DAY || dayNumber > LAST_DAY || this.closureOf(dayNumber) !== null) return null;
    const s = this.sessionEpochs(dayNumber);
    if (ms < s.marketOpen || ms >= s.marketClose) return null;
    return this.slotOf(s, Math.floor((ms - s.marketOpen) / SLOT_MS));
  }

  /** Slot `index` of a trading day; `INVALID_ARGUMENT` past the day's last slot. */
  slot(date: IsoDate, index: number): Slot {
    const dayNumber = parseIsoDate(date);
    this.requireTradingDay(dayNumber, date);
    const s = this.sessionEpochs(dayNumber);
    const slotCount = s.earlyClose ? EARLY_CLOSE_DAY_SLOTS : FULL_DAY_SLOTS;
    if (!Number.isInteger(index) || index < 0 || index >= slotCount) {
      throw new CalendarError('INVALID_ARGUMENT', `slot must be 0-${slotCount - 1} on ${date}, got ${index}`);
    }
    return this.slotOf(s, index);
  }

  private slotOf(s: SessionEpochs, index: number): Slot {
    const start = s.marketOpen + index * SLOT_MS;
    return { date: s.date, index, start: new Date(start), end: new Date(start + SLOT_MS) };
  }

  private requireTradingDay(dayNumber: number, date: IsoDate): void {
    const closure = this.closureOf(dayNumber);
    if (closure !== null) {
      throw new CalendarError('NOT_A_TRADING_DAY', `${date} is not a trading day (${closure.reason})`);
    }
  }

  private checkYear(year: number): number {
    if (!Number.isInteger(year) || year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) {
      throw new CalendarError('OUT_OF_RANGE', `year must be ${FIRST_SUPPORTED_YEAR}-${LAST_SUPPORTED_YEAR}, got ${year}`);
    }
    return year;
  }

  /** The first trading day at or beyond `dayNumber` going in `direction`. */
  private seek(dayNumber: number, direction: 1 | -1): number {
    for (let step = 0; step <= MAX_SEARCH_DAYS; step++, dayNumber += direction) {
      if (dayNumber < FIRST_DAY || dayNumber > LAST_DAY) {
        throw new CalendarError('OUT_OF_RANGE', `the calendar covers ${FIRST_SUPPORTED_YEAR}-${LAST_SUPPORTED_YEAR} only`);
      }
      if (this.closureOf(dayNumber) === null) return dayNumber;
    }
    throw new CalendarError('OUT_OF_RANGE', `no trading day within ${MAX_SEARCH_DAYS} days of ${formatDayNumber(dayNumber)}`);
  }

  private closureOf(dayNumber: number): Closure | null {
    if (isWeekend(dayNumber)) return WEEKEND;
    return this.yearTable(civilOf(dayNumber).year).closures.get(dayNumber) ?? null;
  }

  private earlyCloseReasonOf(dayNumber: number): string | null {
    return this.yearTable(civilOf(dayNumber).year).earlyCloses.get(dayNumber) ?? null;
  }

  private yearTable(year: number): YearTable {
    let table = this.years.get(year);
    if (table) return table;
    const rules = nyseRulesForYear(year);
    const closures = new Map<number, Closure>();
    const earlyCloses = new Map<number, string>();
    for (const day of rules.closures) closures.set(day.dayNumber, { kind: 'holiday', reason: day.reason });
    for (const day of rules.earlyCloses) earlyCloses.set(day.dayNumber, day.reason);
    const specials = [
      ...NYSE_ONE_OFF_CLOSURES.map((d): [number, string] => [parseIsoDate(d.date), d.reason]),
      ...this.extraClosures,
    ];
    for (const [dayNumber, reason] of specials) {
      if (civilOf(dayNumber).year === year) closures.set(dayNumber, { kind: 'special', reason });
    }
    const specialEarly = [
      ...NYSE_ONE_OFF_EARLY_CLOSES.map((d): [number, string] => [parseIsoDate(d.date), d.reason]),
      ...this.extraEarlyCloses,
    ];
    for (const [dayNumber, reason] of specialEarly) {
      if (civilOf(dayNumber).year === year) earlyCloses.set(dayNumber, reason);
    }
    table = { closures, earlyCloses };
    this.years.set(year, table);
    return table;
  }

  private sessionEpochs(dayNumber: number): SessionEpochs {
    let s = this.sessions.get(dayNumber);
    if (s) return s;
    const early = this.earlyCloseReasonOf(dayNumber) !== null;
    const preMarketOpen = newYorkEpochMs(dayNumber, PRE_MARKET_OPEN_MINUTE);
    const marketOpen = newYorkEpochMs(dayNumber, MARKET_OPEN_MINUTE);
    const marketClose = newYorkEpochMs(dayNumber, early ? EARLY_MARKET_CLOSE_MINUTE : MARKET_CLOSE_MINUTE);
    const postMarketClose = newYorkEpochMs(dayNumber, early ? EARLY_POST_MARKET_CLOSE_MINUTE : POST_MARKET_CLOSE_MINUTE);
    s = { date: formatDayNumber(dayNumber), earlyClose: early, preMarketOpen, marketOpen, marketClose, postMarketClose };
    this.sessions.set(dayNumber, s);
    return s;
  }
}

// Dates are mutable, so each caller gets its own; the cache keeps numbers.
function sessionTimesOf(s: SessionEpochs): SessionTimes {
  return {
    date: s.date,
    earlyClose: s.earlyClose,
    preMarketOpen: new Date(s.preMarketOpen),
    marketOpen: new Date(s.marketOpen),
    marketClose: new Date(s.marketClose),
    postMarketClose: new Date(s.postMarketClose),
    slotCount: s.earlyClose ? EARLY_CLOSE_DAY_SLOTS : FULL_DAY_SLOTS,
  };
}

/** The NYSE calendar with no run-time additions. */
export const nyseCalendar = new TradingCalendar();

export function createTradingCalendar(options: TradingCalendarOptions = {}): TradingCalendar {
  return new TradingCalendar(options);
}
