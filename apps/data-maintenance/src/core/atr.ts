import { CoreError } from './core-error.js';

/** The part of a daily bar ATR needs (a source's DailyBar fits). */
export interface AtrBar {
  readonly date: string;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

export const DEFAULT_ATR_PERIOD = 14;

/**
 * True ranges in the TA-Lib convention: TR_i = max(h_i - l_i, |h_i - c_{i-1}|, |l_i - c_{i-1}|) for
 * i >= 1. Bar 0 has no previous close, so it has no TR: the result is one shorter than the input and
 * result[k] belongs to bar k + 1.
 */
export function trueRanges(bars: readonly AtrBar[]): number[] {
  checkBars(bars);
  const out: number[] = [];
  for (let i = 1; i < bars.length; i++) {
    const bar = bars[i] as AtrBar;
    const prevClose = (bars[i - 1] as AtrBar).close;
    out.push(Math.max(bar.high - bar.low, Math.abs(bar.high - prevClose), Math.abs(bar.low - prevClose)));
  }
  return out;
}

/**
 * Wilder's ATR in the TA-Lib convention: the first value, at bar `period`, is the mean of TR_1..TR_period;
 * then ATR_i = ((period - 1) * ATR_{i-1} + TR_i) / period. result[k] belongs to bar `period + k`; fewer
 * than `period + 1` bars give an empty series.
 */
export function atrSeries(bars: readonly AtrBar[], period = DEFAULT_ATR_PERIOD): number[] {
  checkPeriod(period);
  const tr = trueRanges(bars);
  if (tr.length < period) return [];
  let sum = 0;
  for (let i = 0; i < period; i++) sum += tr[i] as number;
  let atr = sum / period;
  const out = [atr];
  for (let i = period; i < tr.length; i++) {
    atr = ((period - 1) * atr + (tr[i] as number)) / period;
    out.push(atr);
  }
  return out;
}

export type AtrOutcome =
  | { readonly kind: 'ok'; readonly date: string; readonly atr: number; readonly atrPercent: number; readonly close: number; readonly bars: number }
  /** The symbol has no bar on the target date (it did not trade): no ATR for that date. */
  | { readonly kind: 'no_bar_on_date' }
  /** Fewer than period + 1 bars: ATR is not defined yet. */
  | { readonly kind: 'insufficient_history'; readonly bars: number; readonly needed: number }
  /** The target close is 0, so atr_percent is undefined. */
  | { readonly kind: 'zero_close' };

/**
 * The ATR of a symbol on `date` from its history (ascending, ending at `date`; later bars are ignored):
 * the last value of the series over every bar given, and atr_percent = atr / close(date) * 100.
 */
export function atrOnDate(history: readonly AtrBar[], date: string, period = DEFAULT_ATR_PERIOD): AtrOutcome {
  checkPeriod(period);
  let end = history.length;
  while (end > 0 && (history[end - 1] as AtrBar).date > date) end -= 1;
  const last = history[end - 1];
  if (!last || last.date !== date) return { kind: 'no_bar_on_date' };
  const bars = end === history.length ? history : history.slice(0, end);
  const series = atrSeries(bars, period);
  const atr = series[series.length - 1];
  if (atr === undefined) return { kind: 'insufficient_history', bars: bars.length, needed: period + 1 };
  if (last.close === 0) return { kind: 'zero_close' };
  return { kind: 'ok', date, atr, atrPercent: (atr / last.close) * 100, close: last.close, bars: bars.length };
}

function checkPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1) {
    throw new CoreError('INVALID_ARGUMENT', `ATR period must be a positive integer, got ${period}`);
  }
}

function checkBars(bars: readonly AtrBar[]): void {
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i] as AtrBar;
    for (const field of ['high', 'low', 'close'] as const) {
      if (!Number.isFinite(bar[field]) || bar[field] < 0) {
        throw new CoreError('INVALID_BAR', `bar ${bar.date}: ${field} must be a finite non-negative number, got ${bar[field]}`);
      }
    }
    if (bar.high < bar.low) throw new CoreError('INVALID_BAR', `bar ${bar.date}: high ${bar.high} is below low ${bar.low}`);
    const prev = bars[i - 1];
    if (prev && !(prev.date < bar.date)) {
      throw new CoreError('UNORDERED_BARS', `bars must be in ascending date order without repeats: ${prev.date} then ${bar.date}`);
    }
  }
}
