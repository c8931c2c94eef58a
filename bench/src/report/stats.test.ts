import { describe, expect, it } from 'vitest';
import { mapSpread, percentile, ratioSpread, spread } from './stats.js';

describe('spread', () => {
  it('takes the middle value of an odd count and keeps the runs in run order', () => {
    expect(spread([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, runs: [30, 10, 20] });
  });

  it('averages the middle two of an even count', () => {
    expect(spread([4, 1, 3, 2])).toMatchObject({ median: 2.5, min: 1, max: 4 });
  });

  it('is the value itself for one run', () => {
    expect(spread([7])).toEqual({ median: 7, min: 7, max: 7, runs: [7] });
  });

  it('refuses no values and non-finite values with INVALID_ARGUMENT', () => {
    expect(() => spread([])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => spread([1, Number.NaN])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => spread([Number.POSITIVE_INFINITY])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose

  it('picks the value at rank ceil(p/100 * n)', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 99.5)).toBe(100);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([15, 20, 35, 40, 50], 30)).toBe(20);
    expect(percentile([15, 20, 35, 40, 50], 40)).toBe(20);
    expect(percentile([15, 20, 35, 40, 50], 41)).toBe(35);
  });

  it('gives the minimum at p = 0 and the only value of one', () => {
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile([42], 99)).toBe(42);
  });

  it('refuses p outside 0..100 and empty input', () => {
    expect(() => percentile([1], 101)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => percentile([1], -1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => percentile([1], Number.NaN)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => percentile([], 50)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('ratioSpread', () => {
  it('divides pair by pair, not median by median', () => {
    // Medians 20/10 = 2, but the pairs are 10/1, 20/10, 30/30: median ratio 2, min 1, max 10.
    const ratio = ratioSpread([10, 20, 30], [1, 10, 30]);
    expect(ratio).toEqual({ median: 2, min: 1, max: 10, runs: [10, 2, 1] });
  });

  it('refuses unpaired runs and a zero denominator', () => {
    expect(() => ratioSpread([1, 2], [1])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => ratioSpread([1, 2], [1, 0])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('mapSpread', () => {
  it('maps every run, so an inverting map swaps which run is min and max', () => {
    const seconds = spread([2, 4, 5]);
    const perSecond = mapSpread(seconds, (s) => 100 / s);
    expect(perSecond).toEqual({ median: 25, min: 20, max: 50, runs: [50, 25, 20] });
  });
});
