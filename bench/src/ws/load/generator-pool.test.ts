import { describe, expect, it } from 'vitest';
import { shares } from './generator-pool.js';

describe('shares', () => {
  it('splits the clients as evenly as possible and loses none', () => {
    expect(shares(10_000, 4)).toEqual([2500, 2500, 2500, 2500]);
    expect(shares(1001, 4)).toEqual([251, 250, 250, 250]);
    expect(shares(3, 4)).toEqual([1, 1, 1, 0]);
  });

  it('refuses a negative or fractional count with INVALID_ARGUMENT', () => {
    expect(() => shares(-1, 4)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => shares(10, 0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
