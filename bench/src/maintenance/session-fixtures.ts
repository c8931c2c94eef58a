import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type FlatFileMinuteBar,
  type SyntheticMarketDataSource,
  type VolumeSlotRow,
  computeVolumeSlots,
  millisToNanos,
  toVolumeSlotRows,
  writeDayAggs,
  writeMinuteAggs,
  writeTickerReference,
} from '@scanner/data-maintenance';
import type { IsoDate, TradingCalendar } from '@scanner/market-calendar';

/** The columns of the slot CSV, in the order of volume_slots. */
export const SLOT_CSV_COLUMNS = ['symbol', 'date', 'slot_number', 'slot_time', 'volume_accumulated'] as const;

export function slotCsvLine(row: VolumeSlotRow): string {
  return `${row.symbol},${row.date},${row.slotNumber},${row.slotTime.toISOString()},${row.volumeAccumulated}`;
}

/** Parses what `slotCsvLine` wrote (no header), back into rows. */
export function parseSlotCsv(text: string): VolumeSlotRow[] {
  const rows: VolumeSlotRow[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [symbol = '', date = '', slot = '', time = '', volume = ''] = line.split(',');
    rows.push({ symbol, date, slotNumber: Number(slot), slotTime: new Date(time), volumeAccumulated: Number(volume) });
  }
  return rows;
}

export interface SessionFixturePaths {
  /** The target session's slot rows as CSV, for the `psql \copy` floor. */
  readonly slotCsv: string;
  /** A Polygon flat-file root: the target's and the previous session's day files, the target's minute file, reference/tickers.json. */
  readonly flatFilesDir: string;
}

/**
 * What the floor and the flat-file source read, from the same synthetic data the other variants get.
 * Each synthetic 5-minute bar is written as one minute row at the bar's start, which the flat-file
 * source folds back into exactly that bar: the day's file then has 192 rows per ticker (2.3 million
 * for 12,000 tickers), the order of a real SIP minute file, where most tickers do not trade every minute.
 */
export async function writeSessionFixtures(
  source: SyntheticMarketDataSource,
  calendar: TradingCalendar,
  sessions: { readonly target: IsoDate; readonly previous: IsoDate },
  paths: SessionFixturePaths,
): Promise<{ readonly slotRows: number; readonly minuteRows: number }> {
  const { target, previous } = sessions;
  const symbols = source.symbolsTradingOn(target);
  const intraday = await source.intradayBars(target, symbols);
  const session = calendar.session(target);

  let slotRows = 0;
  const lines = function* (): Generator<string> {
    for (const symbol of symbols) {
      const rows = toVolumeSlotRows(symbol, target, computeVolumeSlots(intraday.values.get(symbol) ?? [], session).slots);
      slotRows += rows.length;
      yield `${rows.map(slotCsvLine).join('\n')}\n`;
    }
  };
  await pipeline(Readable.from(lines()), createWriteStream(paths.slotCsv));

  const minutes: FlatFileMinuteBar[] = [];
  for (const [symbol, bars] of intraday.values) {
    for (const bar of bars) {
      minutes.push({
        symbol,
        windowStartNs: millisToNanos(bar.startMs),
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
        transactions: Math.max(1, Math.round(bar.volume / 100)),
      });
    }
  }
  await writeMinuteAggs(paths.flatFilesDir, target, minutes);
  await writeDayAggs(paths.flatFilesDir, target, await source.dailyBars(target));
  await writeDayAggs(paths.flatFilesDir, previous, await source.dailyBars(previous));
  await writeTickerReference(paths.flatFilesDir, [...(await source.tickerDetails(source.symbols)).values.values()]);
  return { slotRows, minuteRows: minutes.length };
}
