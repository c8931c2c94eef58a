import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { millisToNanos } from '../../src/sources/flatfiles/agg-line.js';
import { type FlatFileMinuteBar, writeDayAggs, writeMinuteAggs, writeTickerReference } from '../../src/sources/flatfiles/flat-file-writer.js';
import type { IntradayBar } from '../../src/sources/market-data-source.js';
import type { SyntheticMarketDataSource } from '../../src/sources/synthetic/synthetic-source.js';

export { AGG_HEADER, type FlatFileMinuteBar, writeDayAggs, writeGzipLines, writeMinuteAggs, writeTickerReference } from '../../src/sources/flatfiles/flat-file-writer.js';
export { flatFilePath, tickerReferencePath } from '../../src/sources/flatfiles/flat-file-paths.js';

/** A fresh temporary directory and its removal. */
export async function tempFlatFileRoot(): Promise<{ root: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'flatfiles-'));
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

/**
 * Five one-minute bars that fold back into exactly `bar` (open of the first minute, close of the
 * last, the bar's high and low, volumes summing to the bar's). A bar of under five shares becomes
 * one minute, as a thin tape would print it.
 */
function splitIntoMinutes(symbol: string, bar: IntradayBar): FlatFileMinuteBar[] {
  const start = millisToNanos(bar.startMs);
  const minute = (i: number): bigint => start + BigInt(i) * 60_000_000_000n;
  if (bar.volume < 5) {
    return [{ symbol, windowStartNs: start, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, transactions: 1 }];
  }
  const each = Math.floor(bar.volume / 5);
  const first = bar.volume - 4 * each;
  const c = bar.close;
  return [
    { symbol, windowStartNs: minute(0), open: bar.open, high: bar.high, low: Math.min(bar.open, c), close: c, volume: first, transactions: 2 },
    { symbol, windowStartNs: minute(1), open: c, high: c, low: bar.low, close: c, volume: each, transactions: 1 },
    ...[2, 3, 4].map((i) => ({ symbol, windowStartNs: minute(i), open: c, high: c, low: c, close: c, volume: each, transactions: 1 })),
  ];
}

/** Writes the synthetic source's day and minute files (and the reference file) for `dates`. */
export async function writeSyntheticFlatFiles(root: string, source: SyntheticMarketDataSource, dates: readonly string[]): Promise<void> {
  for (const date of dates) {
    const symbols = source.symbolsTradingOn(date);
    await writeDayAggs(root, date, await source.dailyBars(date));
    const { values } = await source.intradayBars(date, symbols);
    await writeMinuteAggs(
      root,
      date,
      [...values].flatMap(([symbol, bars]) => bars.flatMap((bar) => splitIntoMinutes(symbol, bar))),
    );
  }
  await writeTickerReference(root, [...(await source.tickerDetails(source.symbols)).values.values()]);
}
