import { nyseCalendar, type IsoDate, type TradingCalendar } from '@scanner/market-calendar';
import type { DailyBar } from '../sources/market-data-source.js';
import { groupBy } from './group-by.js';
import { atomically, type Db, type Transactional } from './pool.js';
import { deleteThenCopy, type ReplaceResult, type ReplaceScope, rowsOfDate } from './replace-scope.js';
import { checkDate, checkPositiveInteger, RowProblems } from './validate.js';

const COLUMNS = ['symbol', 'date', 'open', 'high', 'low', 'close', 'volume', 'vwap', 'trades'] as const;
const SELECT_BAR = `symbol, date::text AS date, open, high, low, close, volume, vwap, trades::float8 AS trades`;

/**
 * Replaces one session's daily bars in one transaction (DELETE the date's rows, COPY the batch), so
 * running it again with the same bars leaves identical rows. Also how the previous session is
 * refreshed. The whole batch is validated first: a bad bar refuses the batch and deletes nothing.
 */
export async function replaceDailyBars(
  db: Transactional,
  date: IsoDate,
  bars: readonly DailyBar[],
  options: { readonly scope?: ReplaceScope } = {},
): Promise<ReplaceResult> {
  checkDate(date);
  validateBars(date, bars);
  return atomically(db, (tx) =>
    deleteThenCopy(
      tx,
      'market_data_daily',
      rowsOfDate(date, options.scope ?? 'date', () => bars.map((b) => b.symbol)),
      COLUMNS,
      bars.map((b) => [b.symbol, date, b.open, b.high, b.low, b.close, b.volume, b.vwap, b.trades]),
    ),
  );
}

export interface DailyHistoryOptions {
  /** The last session included (the target date). */
  readonly upTo: IsoDate;
  /** At most this many trading sessions back from `upTo` (inclusive), and at most this many bars per symbol. */
  readonly maxSessions: number;
  /** Only these symbols; all when absent. */
  readonly symbols?: readonly string[];
  /** Only symbols that have a bar on `upTo` (what ATR for `upTo` needs). Default false. */
  readonly onlyTradedOnUpTo?: boolean;
  /** For the window's first session; default the NYSE calendar. */
  readonly calendar?: TradingCalendar;
}

/**
 * Each symbol's bars over the last `maxSessions` trading sessions up to `upTo`, oldest first. A symbol
 * that did not trade on some sessions simply has fewer bars (the window is the calendar's, not the
 * symbol's).
 */
export async function loadDailyHistory(db: Db, options: DailyHistoryOptions): Promise<Map<string, DailyBar[]>> {
  const upTo = checkDate(options.upTo, 'upTo');
  const maxSessions = checkPositiveInteger(options.maxSessions, 'maxSessions');
  const calendar = options.calendar ?? nyseCalendar;
  const from = calendar.lastSessions(maxSessions, upTo)[0] ?? upTo;
  const params: unknown[] = [from, upTo, maxSessions];
  let filter = '';
  if (options.symbols !== undefined) {
    params.push([...options.symbols]);
    filter += ` AND symbol = ANY($${params.length}::text[])`;
  }
  if (options.onlyTradedOnUpTo) {
    filter += ` AND symbol IN (SELECT symbol FROM market_data_daily WHERE date = $2)`;
  }
  const res = await db.query<DailyBar>(
    `SELECT ${SELECT_BAR} FROM (
       SELECT *, row_number() OVER (PARTITION BY symbol ORDER BY date DESC) AS rn
       FROM market_data_daily
       WHERE date BETWEEN $1 AND $2${filter}
     ) recent
     WHERE rn <= $3
     ORDER BY symbol, date`,
    params,
  );
  return groupBy(res.rows, (bar) => bar.symbol);
}

/** One session's bars, by symbol. */
export async function readDailyBars(db: Db, date: IsoDate, symbols?: readonly string[]): Promise<DailyBar[]> {
  checkDate(date);
  const res =
    symbols === undefined
      ? await db.query<DailyBar>(`SELECT ${SELECT_BAR} FROM market_data_daily WHERE date = $1 ORDER BY symbol`, [date])
      : await db.query<DailyBar>(
          `SELECT ${SELECT_BAR} FROM market_data_daily WHERE date = $1 AND symbol = ANY($2::text[]) ORDER BY symbol`,
          [date, [...symbols]],
        );
  return res.rows;
}

/** The symbols with a bar on `date`, sorted. */
export async function symbolsTradedOn(db: Db, date: IsoDate): Promise<string[]> {
  checkDate(date);
  const res = await db.query<{ symbol: string }>(
    'SELECT symbol FROM market_data_daily WHERE date = $1 ORDER BY symbol',
    [date],
  );
  return res.rows.map((r) => r.symbol);
}

/** Bars stored per date over a range (dates without bars are absent). */
export async function dailyBarCounts(db: Db, from: IsoDate, to: IsoDate): Promise<Map<IsoDate, number>> {
  checkDate(from, 'from');
  checkDate(to, 'to');
  const res = await db.query<{ date: string; count: number }>(
    `SELECT date::text AS date, count(*)::int AS count FROM market_data_daily
     WHERE date BETWEEN $1 AND $2 GROUP BY date ORDER BY date`,
    [from, to],
  );
  return new Map(res.rows.map((r) => [r.date, r.count]));
}

function validateBars(date: IsoDate, bars: readonly DailyBar[]): void {
  const problems = new RowProblems(`daily bars for ${date}`);
  for (const [i, bar] of bars.entries()) {
    const key = `bar ${i} (${String(bar.symbol)})`;
    problems.symbol(bar.symbol, key);
    if (bar.date !== date) problems.add(`${key}: date ${String(bar.date)} is not ${date}`);
    problems.distinct(bar.symbol, key, 'symbol');
    for (const field of ['open', 'high', 'low', 'close'] as const) problems.finite(bar[field], field, key, { nonNegative: true });
    problems.finite(bar.volume, 'volume', key, { nonNegative: true });
    problems.finite(bar.vwap, 'vwap', key, { nullable: true, nonNegative: true });
    problems.finite(bar.trades, 'trades', key, { nullable: true, nonNegative: true });
    if (bar.trades !== null && !Number.isInteger(bar.trades)) problems.add(`${key}: trades must be an integer, got ${bar.trades}`);
  }
  problems.throwIfAny();
}
