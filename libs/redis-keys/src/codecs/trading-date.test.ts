import { describe, expect, it } from 'vitest';
import { decodeTradingDate, encodeTradingDate } from './trading-date.js';

describe('trading date values', () => {
  it('round-trip a date', () => {
    expect(encodeTradingDate('2026-11-20')).toBe('2026-11-20');
    expect(decodeTradingDate('2026-11-20')).toEqual({ ok: true, value: '2026-11-20' });
  });

  it('refuse what is not a date', () => {
    expect(decodeTradingDate(null)).toMatchObject({ ok: false, error: { code: 'MISSING' } });
    for (const text of ['2026-11-31', '"2026-11-20"', '2026-11-20T03:00:00Z', '', '1']) {
      expect(decodeTradingDate(text)).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE' } });
    }
    expect(() => encodeTradingDate('20261120')).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }) as Error);
  });
});
