import { describe, expect, it } from 'vitest';
import { changedSymbols, jsonEqual } from './changed-rows.js';

const r = (symbol: string, rank: number, price: number, extra: Record<string, unknown> = {}) => ({ symbol, rank, timestamp: 't', price, ...extra });

describe('changedSymbols', () => {
  it('lists added rows and rows with any field changed, rank included; not removed or equal rows', () => {
    const before = [r('A', 1, 10), r('B', 2, 20), r('C', 3, 30)];
    const after = [r('A', 1, 10), r('C', 2, 30), r('B', 3, 21), r('D', 4, 40)];
    expect([...changedSymbols(before, after)].sort()).toEqual(['B', 'C', 'D']);
  });

  it('compares nested values by content, so an identical snapshot changes nothing', () => {
    const before = [r('A', 1, 10, { tags: ['x', { y: 1 }] })];
    expect(changedSymbols(before, [r('A', 1, 10, { tags: ['x', { y: 1 }] })]).size).toBe(0);
    expect(changedSymbols(before, [r('A', 1, 10, { tags: ['x', { y: 2 }] })])).toEqual(new Set(['A']));
  });
});

describe('jsonEqual', () => {
  it('distinguishes arrays from objects, key sets, and lengths', () => {
    expect(jsonEqual([1], { 0: 1 })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [1])).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
    expect(jsonEqual(Number.NaN, Number.NaN)).toBe(true);
  });
});
