import { describe, expect, it } from 'vitest';
import { type ColumnIndex, columnIndexOf, millisToNanos, nanosToMillis, parseAggLine } from './agg-line.js';

const columns = columnIndexOf('ticker,volume,open,close,high,low,window_start,transactions') as ColumnIndex;

describe('parseAggLine', () => {
  it('keeps a nanosecond window_start exact, beyond what a float can hold', () => {
    const row = parseAggLine('AAPL,100,1.5,1.25,1.75,1.125,1732890600123456789,4', columns, 8);
    expect(row).toEqual({ ticker: 'AAPL', volume: 100, open: 1.5, close: 1.25, high: 1.75, low: 1.125, windowStartNs: 1732890600123456789n, transactions: 4 });
    // The same digits through a double would be off by tens of nanoseconds.
    expect(BigInt(Number('1732890600123456789'))).not.toBe(1732890600123456789n);
    expect(nanosToMillis(1732890600123456789n)).toBe(1_732_890_600_123);
    expect(millisToNanos(1_732_890_600_000)).toBe(1732890600000000000n);
  });

  it('accepts exponent notation for prices and volumes', () => {
    expect(parseAggLine('X,1e6,1.5E-3,2,3,1,0,0', columns, 8)).toMatchObject({ volume: 1_000_000, open: 0.0015 });
  });

  it('says what is wrong with a bad line', () => {
    expect(parseAggLine('AAPL,100,1,1,1,1,1732890600000000000', columns, 8)).toBe('expected 8 fields, got 7');
    expect(parseAggLine(',100,1,1,1,1,1,1', columns, 8)).toBe('bad ticker ""');
    expect(parseAggLine('A,-5,1,1,1,1,1,1', columns, 8)).toBe('bad volume "-5"');
    expect(parseAggLine('A,5,1,1,NaN,1,1,1', columns, 8)).toBe('bad high "NaN"');
    expect(parseAggLine('A,5,1,1,1,1,1.5e18,1', columns, 8)).toBe('bad window_start "1.5e18"');
    expect(parseAggLine('A,5,1,1,1,1,1,x', columns, 8)).toBe('bad transactions "x"');
  });

  it('locates columns by name and names a missing one', () => {
    expect(columnIndexOf('window_start,ticker,volume,open,close,high,low,transactions')).toMatchObject({ window_start: 0, ticker: 1 });
    expect(columnIndexOf('ticker,volume,open,close,high,low,window_start')).toMatch(/lacks column transactions/);
  });
});
