import { describe, expect, it } from 'vitest';
import { isValidSymbol } from './symbols.js';

describe('isValidSymbol', () => {
  it('accepts what US tickers look like', () => {
    for (const symbol of ['AAPL', 'F', 'BRK.A', 'BRK-B', 'BACpB', 'ACAHW', 'GOOGL', 'SPY', 'ABCDEFGHIJKLMNOPQRST']) {
      expect(isValidSymbol(symbol)).toBe(true);
    }
  });

  it('refuses what would break a key or a SCAN pattern', () => {
    for (const symbol of ['', 'X:BTCUSD', 'AA PL', 'AAPL\n', 'A*', 'A?', 'A[B]', 'A\\B', '.A', '-A', 'ABCDEFGHIJKLMNOPQRSTU', 'ÄPPL']) {
      expect(isValidSymbol(symbol)).toBe(false);
    }
  });

  it('refuses non-strings', () => {
    for (const value of [null, undefined, 1, ['AAPL'], { toString: () => 'AAPL' }]) expect(isValidSymbol(value)).toBe(false);
  });
});
