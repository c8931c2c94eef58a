import { describe, expect, it } from 'vitest';
import { parseDecimalText, parseWholeText } from './number-text.js';

describe('parseDecimalText', () => {
  it('reads what String() and Python str() write', () => {
    expect(parseDecimalText('1.25')).toBe(1.25);
    expect(parseDecimalText('12500')).toBe(12500);
    expect(parseDecimalText('12500.0')).toBe(12500);
    expect(parseDecimalText('1e-7')).toBe(1e-7);
    expect(parseDecimalText('1.2345e-05')).toBe(1.2345e-5);
    expect(parseDecimalText('-0.5')).toBe(-0.5);
  });

  it('refuses what Number() would quietly accept', () => {
    for (const text of ['', ' ', ' 1', '1 ', '0x10', 'Infinity', 'inf', 'nan', 'NaN', '1e999', '1,5', '+1', null, 3]) {
      expect(parseDecimalText(text)).toBeNull();
    }
  });
});

describe('parseWholeText', () => {
  it('reads non-negative integers', () => {
    expect(parseWholeText('0')).toBe(0);
    expect(parseWholeText('4179')).toBe(4179);
    expect(parseWholeText('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses signs, leading zeros, fractions, exponents and unsafe values', () => {
    for (const text of ['-1', '+1', '01', '1.0', '1e3', '', '9007199254740993', ' 1', null]) {
      expect(parseWholeText(text)).toBeNull();
    }
  });
});
