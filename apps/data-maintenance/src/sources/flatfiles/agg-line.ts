/**
 * One line of a Polygon aggregates flat file (`ticker,volume,open,close,high,low,window_start,
 * transactions`). `window_start` is in nanoseconds, past 2^53, so it is parsed with BigInt and never
 * goes through a float. Pure: returns the row or a message saying what is wrong.
 */

export const AGG_COLUMNS = ['ticker', 'volume', 'open', 'close', 'high', 'low', 'window_start', 'transactions'] as const;
export type AggColumn = (typeof AGG_COLUMNS)[number];

export interface AggRow {
  readonly ticker: string;
  readonly volume: number;
  readonly open: number;
  readonly close: number;
  readonly high: number;
  readonly low: number;
  readonly windowStartNs: bigint;
  readonly transactions: number;
}

export type ColumnIndex = Readonly<Record<AggColumn, number>>;

const DECIMAL = /^\d+(\.\d+)?([eE][-+]?\d+)?$/;
const INTEGER = /^\d+$/;
const TICKER = /^[A-Za-z0-9.:/_-]{1,32}$/;

/** Where each column is in this file's header; a message when a column is missing. */
export function columnIndexOf(header: string): ColumnIndex | string {
  const names = header.trim().split(',');
  const index: Partial<Record<AggColumn, number>> = {};
  for (const column of AGG_COLUMNS) {
    const at = names.indexOf(column);
    if (at < 0) return `header ${JSON.stringify(header)} lacks column ${column} (expected ${AGG_COLUMNS.join(',')})`;
    index[column] = at;
  }
  return index as ColumnIndex;
}

export function parseAggLine(line: string, columns: ColumnIndex, width: number): AggRow | string {
  const cells = line.split(',');
  if (cells.length !== width) return `expected ${width} fields, got ${cells.length}`;
  const cell = (column: AggColumn): string => cells[columns[column]] as string;
  const ticker = cell('ticker');
  if (!TICKER.test(ticker)) return `bad ticker ${JSON.stringify(ticker)}`;
  const numbers: Partial<Record<AggColumn, number>> = {};
  for (const column of ['volume', 'open', 'close', 'high', 'low'] as const) {
    const text = cell(column);
    const value = Number(text);
    if (!DECIMAL.test(text) || !Number.isFinite(value)) return `bad ${column} ${JSON.stringify(text)}`;
    numbers[column] = value;
  }
  const windowStart = cell('window_start');
  if (!INTEGER.test(windowStart)) return `bad window_start ${JSON.stringify(windowStart)}`;
  const transactions = cell('transactions');
  if (!INTEGER.test(transactions) || !Number.isSafeInteger(Number(transactions))) return `bad transactions ${JSON.stringify(transactions)}`;
  return {
    ticker,
    volume: numbers.volume as number,
    open: numbers.open as number,
    close: numbers.close as number,
    high: numbers.high as number,
    low: numbers.low as number,
    windowStartNs: BigInt(windowStart),
    transactions: Number(transactions),
  };
}

const NANOS_PER_MILLI = 1_000_000n;

/** Epoch milliseconds of a nanosecond timestamp (exact for every minute boundary). */
export function nanosToMillis(ns: bigint): number {
  return Number(ns / NANOS_PER_MILLI);
}

export function millisToNanos(ms: number): bigint {
  return BigInt(ms) * NANOS_PER_MILLI;
}
