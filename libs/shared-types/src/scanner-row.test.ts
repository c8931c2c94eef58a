import { describe, expect, it } from 'vitest';
import { validateScannerRows } from './scanner-row.js';

const row = { symbol: 'AAPL', rank: 1, timestamp: '2026-11-20T14:31:05.120Z', price: 231.5, change_percent: 4.2 };

describe('validateScannerRows', () => {
  it('keeps the market fields as they are', () => {
    const rows = [row, { symbol: 'BRK.B', rank: 2, timestamp: 1763649065, rvol: null, tags: ['x'] }];
    expect(validateScannerRows(rows)).toEqual({ ok: true, value: rows });
  });

  it('accepts an empty list', () => {
    expect(validateScannerRows([])).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['a non-array', { 0: row }, ''],
    ['a missing symbol', [{ rank: 1, timestamp: 't' }], '0.symbol'],
    ['an empty symbol', [{ ...row, symbol: '' }], '0.symbol'],
    ['a zero rank', [{ ...row, rank: 0 }], '0.rank'],
    ['a fractional rank', [{ ...row, rank: 1.5 }], '0.rank'],
    ['a rank as text', [{ ...row, rank: '1' }], '0.rank'],
    ['a rank past 2^53', [{ ...row, rank: 2 ** 60 }], '0.rank'],
    ['a missing timestamp', [{ symbol: 'A', rank: 1 }], '0.timestamp'],
    ['a boolean timestamp', [{ ...row, timestamp: true }], '0.timestamp'],
    ['a null row', [null], '0'],
    ['the same symbol twice', [row, { ...row, rank: 2 }], '1.symbol'],
  ])('refuses %s', (_label, value, path) => {
    const result = validateScannerRows(value);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ROWS' } });
    expect(!result.ok && (result.error.path ?? '')).toBe(path);
  });
});
