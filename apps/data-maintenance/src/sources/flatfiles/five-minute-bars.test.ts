import { newYorkInstant } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { FiveMinuteAggregator, fiveMinuteBucketStart } from './five-minute-bars.js';

const at = (date: string, h: number, m: number, s = 0) => newYorkInstant(date, h, m).getTime() + s * 1000;

describe('five-minute buckets', () => {
  it('start on New York five-minute boundaries in winter and summer', () => {
    for (const date of ['2024-01-16', '2024-07-16']) {
      expect(fiveMinuteBucketStart(at(date, 9, 30))).toBe(at(date, 9, 30));
      expect(fiveMinuteBucketStart(at(date, 9, 34, 59))).toBe(at(date, 9, 30));
      expect(fiveMinuteBucketStart(at(date, 9, 35))).toBe(at(date, 9, 35));
      expect(fiveMinuteBucketStart(at(date, 15, 59))).toBe(at(date, 15, 55));
    }
  });

  it('fold minutes in any order into open/high/low/close/volume per bucket, per symbol', () => {
    const agg = new FiveMinuteAggregator();
    const d = '2024-07-16';
    const m = (h: number, min: number, o: number, hi: number, lo: number, c: number, v: number) => ({ startMs: at(d, h, min), open: o, high: hi, low: lo, close: c, volume: v });
    expect(agg.add('A', m(9, 33, 3, 3.5, 2.5, 3.2, 30))).toBe(true);
    expect(agg.add('A', m(9, 30, 1, 1.2, 0.9, 1.1, 10))).toBe(true);
    expect(agg.add('A', m(9, 36, 4, 4, 4, 4, 40))).toBe(true);
    expect(agg.add('B', m(9, 30, 7, 7, 7, 7, 70))).toBe(true);
    expect(agg.add('A', m(9, 34, 2, 2.1, 2, 2.05, 20))).toBe(true);
    expect(agg.add('A', m(9, 30, 9, 9, 9, 9, 99))).toBe(false);
    expect(agg.bars('A')).toEqual([
      { startMs: at(d, 9, 30), open: 1, high: 3.5, low: 0.9, close: 2.05, volume: 60 },
      { startMs: at(d, 9, 35), open: 4, high: 4, low: 4, close: 4, volume: 40 },
    ]);
    expect(agg.bars('B')).toEqual([{ startMs: at(d, 9, 30), open: 7, high: 7, low: 7, close: 7, volume: 70 }]);
    expect(agg.bars('C')).toEqual([]);
  });
});
