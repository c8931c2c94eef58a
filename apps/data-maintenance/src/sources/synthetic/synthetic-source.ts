import { CalendarError, type IsoDate, type SessionTimes, type TradingCalendar, isValidIsoDate, nyseCalendar, parseIsoDate } from '@scanner/market-calendar';
import {
  type DailyBar,
  type IntradayBar,
  type MarketDataSource,
  type PerTickerResult,
  SourceError,
  type TickerDetails,
  type TickerFailure,
} from '../market-data-source.js';
import { type SyntheticDay, syntheticDay } from './synthetic-day.js';
import { type TickerProfile, tickerProfile } from './ticker-profile.js';
import { syntheticName, syntheticSymbols } from './universe.js';

/**
 * Deterministic generated market data in the shapes of the real sources, for development, demos,
 * tests and benchmarks without an API key. The same (seed, symbol, date) always gives the same bars,
 * whatever else was asked before; a different seed gives different data. Pure: no I/O, no clock.
 */

/** When a symbol trades, for universes that change over time (new listings, delistings). */
export interface SyntheticListing {
  /** First trading date; before it the symbol has no bars. */
  readonly listedOn?: IsoDate;
  /** Last trading date; after it the symbol has no bars and its details say inactive. */
  readonly delistedAfter?: IsoDate;
}

export interface SyntheticSourceOptions {
  /** Number of generated symbols (ignored when `symbols` is given). Default 100. */
  readonly universeSize?: number;
  /** Default 1. */
  readonly seed?: number;
  /** An explicit universe instead of the generated symbols; the data is still synthetic. */
  readonly symbols?: readonly string[];
  readonly listings?: Readonly<Record<string, SyntheticListing>>;
  readonly calendar?: TradingCalendar;
}

interface DayContext {
  readonly session: SessionTimes;
  readonly dayNumber: number;
  readonly previousDayNumber: number;
}

export const SYNTHETIC_EXCHANGE = 'SYNTH';
export const DEFAULT_SYNTHETIC_UNIVERSE_SIZE = 100;
export const DEFAULT_SYNTHETIC_SEED = 1;
const SYMBOL_PATTERN = /^[A-Z][A-Z0-9.]{0,9}$/;

export class SyntheticMarketDataSource implements MarketDataSource {
  readonly name = 'synthetic' as const;
  /** Every symbol of the universe, in index order, listed or not on any given day. */
  readonly symbols: readonly string[];
  readonly seed: number;
  private readonly calendar: TradingCalendar;
  private readonly indexBySymbol: ReadonlyMap<string, number>;
  private readonly listings: ReadonlyMap<string, SyntheticListing>;
  private readonly profiles = new Map<string, TickerProfile>();

  constructor(options: SyntheticSourceOptions = {}) {
    this.seed = options.seed ?? DEFAULT_SYNTHETIC_SEED;
    if (!Number.isSafeInteger(this.seed)) throw new RangeError(`synthetic seed must be an integer, got ${this.seed}`);
    this.calendar = options.calendar ?? nyseCalendar;
    this.symbols = options.symbols ? checkSymbols(options.symbols) : syntheticSymbols(options.universeSize ?? DEFAULT_SYNTHETIC_UNIVERSE_SIZE);
    this.indexBySymbol = new Map(this.symbols.map((symbol, index) => [symbol, index]));
    this.listings = checkListings(options.listings ?? {}, this.indexBySymbol);
  }

  /** The symbols with a session on `date` (the universe minus unlisted/delisted ones). */
  symbolsTradingOn(date: IsoDate): string[] {
    this.dayOf(date);
    return this.symbols.filter((symbol) => this.isListedOn(symbol, date));
  }

  /** One symbol's whole synthetic session (bars and the daily bar), for fixtures and tests. */
  day(symbol: string, date: IsoDate): SyntheticDay {
    const day = this.dayOf(date);
    if (!this.indexBySymbol.has(symbol)) throw new SourceError('NOT_FOUND', `synthetic: ${symbol} is not in the synthetic universe`);
    if (!this.isListedOn(symbol, date)) throw new SourceError('NOT_FOUND', `synthetic: ${symbol} does not trade on ${date}`);
    return this.generate(symbol, day);
  }

  async dailyBars(date: IsoDate): Promise<DailyBar[]> {
    const day = this.dayOf(date);
    return this.symbols.filter((symbol) => this.isListedOn(symbol, date)).map((symbol) => this.generate(symbol, day).daily);
  }

  async intradayBars(date: IsoDate, symbols: readonly string[]): Promise<PerTickerResult<IntradayBar[]>> {
    const day = this.dayOf(date);
    const values = new Map<string, IntradayBar[]>();
    const failures: TickerFailure[] = [];
    for (const symbol of new Set(symbols)) {
      if (!this.indexBySymbol.has(symbol)) failures.push(notInUniverse(symbol));
      else values.set(symbol, this.isListedOn(symbol, date) ? this.generate(symbol, day).bars : []);
    }
    return { values, failures };
  }

  async tickerDetails(symbols: readonly string[]): Promise<PerTickerResult<TickerDetails>> {
    const values = new Map<string, TickerDetails>();
    const failures: TickerFailure[] = [];
    for (const symbol of new Set(symbols)) {
      const index = this.indexBySymbol.get(symbol);
      if (index === undefined) {
        failures.push(notInUniverse(symbol));
        continue;
      }
      const profile = this.profileOf(symbol);
      values.set(symbol, {
        symbol,
        name: syntheticName(index),
        marketCap: Math.round(profile.sharesOutstanding * profile.basePrice),
        sector: profile.sector,
        industry: profile.industry,
        floatShares: profile.floatShares,
        sharesOutstanding: profile.sharesOutstanding,
        exchange: SYNTHETIC_EXCHANGE,
        type: 'CS',
        active: this.listings.get(symbol)?.delistedAfter === undefined,
      });
    }
    return { values, failures };
  }

  /** Nothing to release: the synthetic source holds no sockets or files. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  private generate(symbol: string, day: DayContext): SyntheticDay {
    return syntheticDay(this.profileOf(symbol), day.session, day.dayNumber, day.previousDayNumber);
  }

  private previousSessionDayNumber(date: IsoDate, dayNumber: number): number {
    try {
      return parseIsoDate(this.calendar.previousTradingDay(date));
    } catch (error) {
      // The first session the calendar covers has no previous one; the day before serves as anchor.
      if (error instanceof CalendarError && error.code === 'OUT_OF_RANGE') return dayNumber - 1;
      throw error;
    }
  }

  private profileOf(symbol: string): TickerProfile {
    let profile = this.profiles.get(symbol);
    if (!profile) {
      profile = tickerProfile(this.seed, symbol);
      this.profiles.set(symbol, profile);
    }
    return profile;
  }

  private isListedOn(symbol: string, date: IsoDate): boolean {
    const listing = this.listings.get(symbol);
    if (!listing) return true;
    return (listing.listedOn === undefined || listing.listedOn <= date) && (listing.delistedAfter === undefined || date <= listing.delistedAfter);
  }

  /** The session of `date` and the day numbers every symbol's bars of that day are generated from. */
  private dayOf(date: IsoDate): DayContext {
    let info;
    try {
      info = this.calendar.describe(date);
    } catch (error) {
      if (error instanceof CalendarError) throw new SourceError('REJECTED', `synthetic: ${error.message}`, 1, { cause: error });
      throw error;
    }
    if (!info.session) {
      throw new SourceError('NOT_FOUND', `synthetic: ${date} is not a trading day (${info.closure?.reason ?? 'closed'}), so it has no market data`);
    }
    const dayNumber = parseIsoDate(date);
    return { session: info.session, dayNumber, previousDayNumber: this.previousSessionDayNumber(date, dayNumber) };
  }
}

function notInUniverse(symbol: string): TickerFailure {
  return { symbol, code: 'NOT_FOUND', message: `${symbol} is not in the synthetic universe`, attempts: 1 };
}

function checkSymbols(symbols: readonly string[]): string[] {
  if (symbols.length === 0) throw new RangeError('synthetic symbols: the list is empty');
  const seen = new Set<string>();
  for (const symbol of symbols) {
    if (!SYMBOL_PATTERN.test(symbol)) throw new RangeError(`synthetic symbols: ${JSON.stringify(symbol)} is not a ticker symbol (A-Z, 0-9, '.')`);
    if (seen.has(symbol)) throw new RangeError(`synthetic symbols: ${symbol} is listed twice`);
    seen.add(symbol);
  }
  return [...symbols];
}

function checkListings(listings: Readonly<Record<string, SyntheticListing>>, universe: ReadonlyMap<string, number>): Map<string, SyntheticListing> {
  const out = new Map<string, SyntheticListing>();
  for (const [symbol, listing] of Object.entries(listings)) {
    if (!universe.has(symbol)) throw new RangeError(`synthetic listings: ${symbol} is not in the universe`);
    for (const date of [listing.listedOn, listing.delistedAfter]) {
      if (date !== undefined && !isValidIsoDate(date)) throw new RangeError(`synthetic listings: ${symbol} has an invalid date ${JSON.stringify(date)}`);
    }
    if (listing.listedOn !== undefined && listing.delistedAfter !== undefined && listing.delistedAfter < listing.listedOn) {
      throw new RangeError(`synthetic listings: ${symbol} is delisted before it is listed`);
    }
    out.set(symbol, listing);
  }
  return out;
}
