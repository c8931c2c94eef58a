import { describe, expect, it } from 'vitest';
import { seededRandom } from './garbage-random.js';

describe('seededRandom', () => {
  it('repeats exactly for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const r = seededRandom(seed);
      return Array.from({ length: 20 }, () => r.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('keeps int() within its bounds and reaches both ends', () => {
    const r = seededRandom(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const value = r.int(-2, 3);
      expect(value).toBeGreaterThanOrEqual(-2);
      expect(value).toBeLessThanOrEqual(3);
      seen.add(value);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it('draws next() in [0, 1) with a plausible spread', () => {
    const r = seededRandom(1);
    const values = Array.from({ length: 5_000 }, () => r.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it('picks, draws text of the asked length, and refuses bad arguments', () => {
    const r = seededRandom(3);
    expect(['a', 'b']).toContain(r.pick(['a', 'b']));
    expect([...r.text(12)]).toHaveLength(12);
    expect(r.text(5, 'x')).toBe('xxxxx');
    expect(() => r.pick([])).toThrow(RangeError);
    expect(() => r.int(3, 1)).toThrow(RangeError);
    expect(() => seededRandom(1.5)).toThrow(RangeError);
  });
});
