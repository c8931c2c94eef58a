import { describe, expect, it } from 'vitest';
import { fullJitterDelay, reconnectDelay } from './backoff.js';

const options = { baseMs: 100, maxMs: 3_000 };

describe('fullJitterDelay', () => {
  it('draws from [0, base * 2^attempt): the window doubles with each attempt', () => {
    // random() just below 1 gives the top of the window, 0 the bottom.
    const top = (attempt: number) => fullJitterDelay(attempt, options, () => 0.999_999);
    expect([0, 1, 2, 3, 4].map(top)).toEqual([99, 199, 399, 799, 1599]);
    expect([0, 1, 2, 3, 4].map((a) => fullJitterDelay(a, options, () => 0))).toEqual([0, 0, 0, 0, 0]);
    expect(fullJitterDelay(3, options, () => 0.5)).toBe(400);
  });

  it('never exceeds maxMs, even for attempts whose power of two overflows', () => {
    for (const attempt of [5, 6, 10, 60, 1_100, Number.MAX_SAFE_INTEGER]) {
      const delay = fullJitterDelay(attempt, options, () => 0.999_999);
      expect(delay).toBeLessThan(3_000);
      expect(delay).toBeGreaterThanOrEqual(2_999);
    }
    expect(fullJitterDelay(1_100, options, () => 0.5)).toBe(1_500);
  });

  it('is spread over the whole window (full jitter), not bunched at its top', () => {
    const draws = Array.from({ length: 1_000 }, (_, i) => fullJitterDelay(10, options, () => i / 1_000));
    expect(Math.min(...draws)).toBe(0);
    expect(Math.max(...draws)).toBe(2_997);
    const belowHalf = draws.filter((d) => d < 1_500).length;
    expect(belowHalf).toBe(500);
  });

  it('keeps an out-of-contract random() inside the window', () => {
    for (const r of [-1, 1, 7, Number.NaN, Number.POSITIVE_INFINITY]) {
      const delay = fullJitterDelay(2, options, () => r);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(400);
    }
  });

  it('treats a negative or fractional attempt as the floor of it, at least 0', () => {
    expect(fullJitterDelay(-3, options, () => 0.999_999)).toBe(99);
    expect(fullJitterDelay(1.7, options, () => 0.999_999)).toBe(199);
  });
});

describe('reconnectDelay', () => {
  it('adds the throttle floor on top of the jitter', () => {
    expect(reconnectDelay(0, options, () => 0, 5_000)).toBe(5_000);
    expect(reconnectDelay(2, options, () => 0.5, 5_000)).toBe(5_200);
    expect(reconnectDelay(2, options, () => 0.5)).toBe(200);
  });
});
