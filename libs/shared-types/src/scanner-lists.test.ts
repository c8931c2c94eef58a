import { describe, expect, it } from 'vitest';
import { SCANNER_LISTS, isScannerList } from './scanner-lists.js';

describe('SCANNER_LISTS', () => {
  it('are the 11 categories the upstream scanner writes', () => {
    expect([...SCANNER_LISTS].sort()).toEqual(
      [
        'anomalies',
        'gappers_down',
        'gappers_up',
        'high_volume',
        'losers',
        'momentum_down',
        'momentum_up',
        'new_highs',
        'new_lows',
        'reversals',
        'winners',
      ].sort(),
    );
  });
});

describe('isScannerList', () => {
  it('accepts every list', () => {
    for (const list of SCANNER_LISTS) expect(isScannerList(list)).toBe(true);
  });

  it('refuses near misses, prototype names and non-strings', () => {
    for (const value of ['Winners', 'winners ', 'winner', '', 'constructor', '__proto__', 'toString', 1, null, ['winners']]) {
      expect(isScannerList(value)).toBe(false);
    }
  });
});
