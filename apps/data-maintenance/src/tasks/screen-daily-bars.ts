import { isValidSymbol } from '@scanner/redis-keys';
import type { IsoDate } from '@scanner/market-calendar';
import type { DailyBar } from '../sources/market-data-source.js';

export interface ScreenedBars {
  readonly valid: DailyBar[];
  /** reason -> symbols (or the raw text of a symbol that is not one). */
  readonly rejected: Record<string, string[]>;
}

const finite = (v: number | null, nullable = false) => (v === null ? nullable : Number.isFinite(v) && v >= 0);

/**
 * Keeps the bars the database can take and says why each other one was left out, so one odd row from
 * the source (a test ticker with a space, a NaN price) does not sink the whole day's load.
 */
export function screenDailyBars(date: IsoDate, bars: readonly DailyBar[]): ScreenedBars {
  const valid: DailyBar[] = [];
  const rejected: Record<string, string[]> = {};
  const reject = (why: string, symbol: string) => (rejected[why] ??= []).push(symbol);
  const seen = new Set<string>();
  for (const bar of bars) {
    const symbol = String(bar.symbol);
    if (!isValidSymbol(bar.symbol)) reject('invalid_symbol', symbol);
    else if (bar.date !== date) reject('wrong_date', symbol);
    else if (seen.has(symbol)) reject('duplicate_symbol', symbol);
    else if (
      ![bar.open, bar.high, bar.low, bar.close, bar.volume].every((v) => finite(v)) ||
      !finite(bar.vwap, true) ||
      !finite(bar.trades, true) ||
      (bar.trades !== null && !Number.isInteger(bar.trades)) ||
      bar.high < bar.low
    ) {
      reject('invalid_values', symbol);
    } else {
      seen.add(symbol);
      valid.push(bar);
    }
  }
  return { valid, rejected };
}

export function countOf(groups: Record<string, readonly string[]>): number {
  return Object.values(groups).reduce((n, list) => n + list.length, 0);
}
