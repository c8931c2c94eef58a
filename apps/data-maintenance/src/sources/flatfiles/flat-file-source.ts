import { CalendarError, type TradingCalendar, addCalendarDays, newYorkDateOf, newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import {
  type DailyBar,
  type IntradayBar,
  type MarketDataSource,
  type PerTickerResult,
  SourceError,
  type TickerDetails,
  type TickerFailure,
} from '../market-data-source.js';
import { type AggRow, type ColumnIndex, columnIndexOf, nanosToMillis, parseAggLine } from './agg-line.js';
import { FiveMinuteAggregator } from './five-minute-bars.js';
import { type FlatFileKind, flatFilePath, tickerReferencePath } from './flat-file-paths.js';
import { readGzipLines } from './read-gzip-lines.js';
import { readTickerReference } from './ticker-reference.js';

/**
 * Polygon flat files on local disk (`<root>/us_stocks_sip/{day,minute}_aggs_v1/YYYY/MM/YYYY-MM-DD.csv.gz`):
 * one file per day for every ticker, the fast path for backfills. Each file is streamed once per call.
 * A file is a whole-day answer: a missing file is NOT_FOUND and one malformed line makes the whole
 * day INVALID_RESPONSE (naming file and line) rather than a day with silently missing tickers.
 */

export interface FlatFileSourceOptions {
  readonly root: string;
  readonly calendar?: TradingCalendar;
}

export class FlatFileMarketDataSource implements MarketDataSource {
  readonly name = 'flatfiles' as const;
  readonly root: string;
  private readonly calendar: TradingCalendar;

  constructor(options: FlatFileSourceOptions) {
    this.root = options.root;
    this.calendar = options.calendar ?? nyseCalendar;
  }

  async dailyBars(date: string): Promise<DailyBar[]> {
    const bars: DailyBar[] = [];
    const seen = new Set<string>();
    await this.eachRow('day_aggs_v1', date, (row, where) => {
      if (seen.has(row.ticker)) throw invalid(where(), `${row.ticker} appears twice`);
      seen.add(row.ticker);
      bars.push({
        symbol: row.ticker,
        date,
        open: row.open,
        high: row.high,
        low: row.low,
        close: row.close,
        volume: row.volume,
        vwap: null,
        trades: row.transactions,
      });
    });
    return bars;
  }

  /**
   * Flat files list only the tickers that traded, so a requested symbol absent from the day's file
   * maps to an empty array: the files cannot tell "no trades" from "no such ticker".
   */
  async intradayBars(date: string, symbols: readonly string[]): Promise<PerTickerResult<IntradayBar[]>> {
    const wanted = new Set(symbols);
    const aggregator = new FiveMinuteAggregator();
    await this.eachRow('minute_aggs_v1', date, (row, where) => {
      if (!wanted.has(row.ticker)) return;
      const added = aggregator.add(row.ticker, {
        startMs: nanosToMillis(row.windowStartNs),
        open: row.open,
        high: row.high,
        low: row.low,
        close: row.close,
        volume: row.volume,
      });
      if (!added) throw invalid(where(), `${row.ticker} has two bars at window_start ${row.windowStartNs}`);
    });
    return { values: new Map([...wanted].map((symbol) => [symbol, aggregator.bars(symbol)])), failures: [] };
  }

  async tickerDetails(symbols: readonly string[]): Promise<PerTickerResult<TickerDetails>> {
    const path = tickerReferencePath(this.root);
    const reference = await readTickerReference(path);
    const values = new Map<string, TickerDetails>();
    const failures: TickerFailure[] = [];
    for (const symbol of new Set(symbols)) {
      const details = reference?.get(symbol);
      if (details) values.set(symbol, details);
      else
        failures.push({
          symbol,
          code: 'NOT_FOUND',
          attempts: 1,
          message: reference
            ? `${symbol} is not in ${path}`
            : `flat files carry no reference data and ${path} does not exist, so there are no details for ${symbol}`,
        });
    }
    return { values, failures };
  }

  /** Nothing stays open between calls: each read closes its file when done. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Calls `onRow` for every data row of the day's file; `where` names the file and line for an error
   * message (built only then: a minute file has millions of rows).
   */
  private async eachRow(kind: FlatFileKind, date: string, onRow: (row: AggRow, where: () => string) => void): Promise<void> {
    this.checkDate(date);
    const path = flatFilePath(this.root, kind, date);
    const dayStartMs = newYorkInstant(date, 0, 0).getTime();
    const dayEndMs = newYorkInstant(addCalendarDays(date, 1), 0, 0).getTime();
    let columns: ColumnIndex | null = null;
    let width = 0;
    for await (const { line, number } of readGzipLines(path)) {
      const where = (): string => `${path} line ${number}`;
      if (columns === null) {
        const header = columnIndexOf(line);
        if (typeof header === 'string') throw invalid(where(), header);
        columns = header;
        width = line.trim().split(',').length;
        continue;
      }
      const row = parseAggLine(line, columns, width);
      if (typeof row === 'string') throw invalid(where(), `${row}: ${JSON.stringify(line.slice(0, 200))}`);
      const startMs = nanosToMillis(row.windowStartNs);
      if (startMs < dayStartMs || startMs >= dayEndMs) {
        throw invalid(where(), `window_start ${row.windowStartNs} is on ${newYorkDateOf(new Date(startMs))}, not ${date}`);
      }
      onRow(row, where);
    }
    if (columns === null) throw new SourceError('INVALID_RESPONSE', `flat file ${path} is empty (no header line)`);
  }

  private checkDate(date: string): void {
    let trading: boolean;
    try {
      trading = this.calendar.isTradingDay(date);
    } catch (error) {
      if (error instanceof CalendarError) throw new SourceError('REJECTED', `flatfiles: ${error.message}`, 1, { cause: error });
      throw error;
    }
    if (!trading) throw new SourceError('NOT_FOUND', `flatfiles: ${date} is not a trading day, so it has no flat files`);
  }
}

function invalid(where: string, message: string): SourceError {
  return new SourceError('INVALID_RESPONSE', `${where}: ${message}`);
}
