import { describe, expect, it } from 'vitest';
import { ATR_VECTOR_BARS, ATR_VECTOR_EXPECTED, ATR_VECTOR_PERIOD } from '../../test/core/atr-test-vector.js';
import { atrOnDate, atrSeries, trueRanges, type AtrBar } from './atr.js';
import { CoreError } from './core-error.js';

/** Gives the vector's bars consecutive dates (the calendar does not matter to the arithmetic). */
function dated(bars: ReadonlyArray<Omit<AtrBar, 'date'>>): AtrBar[] {
  return bars.map((b, i) => ({ ...b, date: `2026-01-${String(i + 1).padStart(2, '0')}` }));
}

function expectCoreError(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe(code);
    return;
  }
  throw new Error(`expected CoreError ${code}`);
}

describe('atrSeries', () => {
  it('reproduces the technicalindicators ATR(14) vector to 1e-9', () => {
    const series = atrSeries(dated(ATR_VECTOR_BARS), ATR_VECTOR_PERIOD);
    expect(series).toHaveLength(ATR_VECTOR_EXPECTED.length);
    series.forEach((value, i) => expect(Math.abs(value - (ATR_VECTOR_EXPECTED[i] as number))).toBeLessThan(1e-9));
  });

  it('seeds with the mean of TR_1..TR_14 (bar 0 has no true range) and then smooths with Wilder', () => {
    const bars = dated(ATR_VECTOR_BARS);
    const tr = trueRanges(bars);
    const seed = tr.slice(0, 14).reduce((a, b) => a + b, 0) / 14;
    const series = atrSeries(bars, 14);
    expect(series[0]).toBeCloseTo(seed, 12);
    expect(series[1]).toBeCloseTo((13 * seed + (tr[14] as number)) / 14, 12);
  });

  it('needs period + 1 bars for the first value', () => {
    const bars = dated(ATR_VECTOR_BARS);
    expect(atrSeries(bars.slice(0, 14), 14)).toEqual([]);
    expect(atrSeries(bars.slice(0, 15), 14)).toHaveLength(1);
    expect(atrSeries([], 14)).toEqual([]);
  });

  it('refuses a period below 1', () => {
    expectCoreError(() => atrSeries(dated(ATR_VECTOR_BARS), 0), 'INVALID_ARGUMENT');
  });
});

describe('trueRanges', () => {
  const prev = { date: '2026-01-01', high: 11, low: 9, close: 10 };

  it('is one shorter than the bars: bar 0 has no previous close', () => {
    expect(trueRanges([prev])).toEqual([]);
    expect(trueRanges([prev, { date: '2026-01-02', high: 10.5, low: 9.5, close: 10 }])).toHaveLength(1);
  });

  it('takes high - low for an inside bar', () => {
    expect(trueRanges([prev, { date: '2026-01-02', high: 10.5, low: 9.25, close: 10 }])).toEqual([1.25]);
  });

  it('takes |high - previous close| on a gap up', () => {
    expect(trueRanges([prev, { date: '2026-01-02', high: 14, low: 13, close: 13.5 }])).toEqual([4]);
  });

  it('takes |low - previous close| on a gap down', () => {
    expect(trueRanges([prev, { date: '2026-01-02', high: 7, low: 6.5, close: 6.75 }])).toEqual([3.5]);
  });

  it('is 0 for a flat bar at the previous close', () => {
    expect(trueRanges([prev, { date: '2026-01-02', high: 10, low: 10, close: 10 }])).toEqual([0]);
  });

  it('refuses bars out of date order or repeated', () => {
    expectCoreError(() => trueRanges([prev, { ...prev }]), 'UNORDERED_BARS');
    expectCoreError(() => trueRanges([{ ...prev, date: '2026-01-03' }, prev]), 'UNORDERED_BARS');
  });

  it('refuses non-finite, negative or inverted bars', () => {
    expectCoreError(() => trueRanges([{ ...prev, close: Number.NaN }]), 'INVALID_BAR');
    expectCoreError(() => trueRanges([{ ...prev, low: -1 }]), 'INVALID_BAR');
    expectCoreError(() => trueRanges([{ ...prev, high: 8 }]), 'INVALID_BAR');
  });
});

describe('atrOnDate', () => {
  const bars = dated(ATR_VECTOR_BARS);
  const last = bars[bars.length - 1] as AtrBar;

  it('gives the last value of the series and atr_percent = atr / close * 100', () => {
    const outcome = atrOnDate(bars, last.date, 14);
    expect(outcome.kind).toBe('ok');
    if (outcome.kind !== 'ok') return;
    expect(Math.abs(outcome.atr - 1.307982853379376)).toBeLessThan(1e-9);
    expect(outcome.atrPercent).toBeCloseTo((1.307982853379376 / 47.85) * 100, 9);
    expect(outcome.close).toBe(47.85);
    expect(outcome.bars).toBe(30);
  });

  it('ignores bars after the date', () => {
    const target = bars[20] as AtrBar;
    const outcome = atrOnDate(bars, target.date, 14);
    expect(outcome.kind === 'ok' && Math.abs(outcome.atr - (ATR_VECTOR_EXPECTED[6] as number))).toBeLessThan(1e-9);
  });

  it('says so when the symbol has no bar on the date', () => {
    expect(atrOnDate(bars.slice(0, 29), last.date, 14)).toEqual({ kind: 'no_bar_on_date' });
    expect(atrOnDate([], last.date, 14)).toEqual({ kind: 'no_bar_on_date' });
  });

  it('says so when the history is too short', () => {
    const short = bars.slice(0, 10);
    expect(atrOnDate(short, (short[9] as AtrBar).date, 14)).toEqual({ kind: 'insufficient_history', bars: 10, needed: 15 });
  });

  it('refuses a percentage of a zero close', () => {
    const zero = [...bars.slice(0, 29), { ...last, high: 0, low: 0, close: 0 }];
    expect(atrOnDate(zero, last.date, 14)).toEqual({ kind: 'zero_close' });
  });
});
