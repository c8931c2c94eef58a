import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { newYorkInstant } from '@scanner/market-calendar';
import type { DailyBar, TickerDetails } from '../market-data-source.js';
import { AGG_COLUMNS, millisToNanos } from './agg-line.js';
import { flatFilePath, tickerReferencePath } from './flat-file-paths.js';
import type { TickerReferenceEntry } from './ticker-reference.js';

/**
 * Writes Polygon-layout flat files (gzip CSV, the real header, nanosecond window_start), so tests,
 * demos and benchmarks can build a flat-file directory from any bars, synthetic ones included.
 * Numbers are written with JavaScript's shortest round-trip form, so reading them back is exact.
 */

export interface FlatFileMinuteBar {
  readonly symbol: string;
  /** The minute's start in epoch nanoseconds. */
  readonly windowStartNs: bigint;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly transactions: number;
}

export const AGG_HEADER = AGG_COLUMNS.join(',');

/** Writes raw lines (header included by the caller) as a gzip file, creating its directory. */
export async function writeGzipLines(path: string, lines: Iterable<string>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const text = function* (): Generator<string> {
    for (const line of lines) yield `${line}\n`;
  };
  await pipeline(Readable.from(text()), createGzip(), createWriteStream(path));
}

function aggLine(symbol: string, volume: number, open: number, close: number, high: number, low: number, windowStartNs: bigint, transactions: number): string {
  return [symbol, volume, open, close, high, low, windowStartNs, transactions].join(',');
}

/** `day_aggs_v1` for one date; window_start is New York midnight, as in Polygon's files. Null trades are written as 0. */
export async function writeDayAggs(root: string, date: string, bars: readonly DailyBar[]): Promise<string> {
  const path = flatFilePath(root, 'day_aggs_v1', date);
  const windowStart = millisToNanos(newYorkInstant(date, 0, 0).getTime());
  const sorted = [...bars].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  await writeGzipLines(path, [AGG_HEADER, ...sorted.map((b) => aggLine(b.symbol, b.volume, b.open, b.close, b.high, b.low, windowStart, b.trades ?? 0))]);
  return path;
}

/** `minute_aggs_v1` for one date, sorted by ticker then window_start as Polygon writes them. */
export async function writeMinuteAggs(root: string, date: string, bars: readonly FlatFileMinuteBar[]): Promise<string> {
  const path = flatFilePath(root, 'minute_aggs_v1', date);
  const sorted = [...bars].sort((a, b) =>
    a.symbol !== b.symbol ? (a.symbol < b.symbol ? -1 : 1) : a.windowStartNs < b.windowStartNs ? -1 : a.windowStartNs > b.windowStartNs ? 1 : 0,
  );
  await writeGzipLines(path, [
    AGG_HEADER,
    ...sorted.map((b) => aggLine(b.symbol, b.volume, b.open, b.close, b.high, b.low, b.windowStartNs, b.transactions)),
  ]);
  return path;
}

/** `reference/tickers.json` from details (the shape `readTickerReference` documents). */
export async function writeTickerReference(root: string, details: readonly TickerDetails[]): Promise<string> {
  const path = tickerReferencePath(root);
  const entries: TickerReferenceEntry[] = details.map((d) => ({
    symbol: d.symbol,
    name: d.name,
    market_cap: d.marketCap,
    sector: d.sector,
    industry: d.industry,
    float_shares: d.floatShares,
    shares_outstanding: d.sharesOutstanding,
    exchange: d.exchange,
    type: d.type,
    active: d.active,
  }));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(entries, null, 2)}\n`);
  return path;
}
