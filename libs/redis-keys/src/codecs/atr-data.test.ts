import { describe, expect, it } from 'vitest';
import { decodeAtrData, encodeAtrData } from './atr-data.js';

describe('atr:data', () => {
  const atr = { atr: 4.8312345678, atr_percent: 2.0871, date: '2026-11-20' };

  it('encodes the three hash fields as text', () => {
    expect(encodeAtrData(atr)).toEqual({ atr: '4.8312345678', atr_percent: '2.0871', date: '2026-11-20' });
  });

  it('round-trips exactly, tiny values included', () => {
    expect(decodeAtrData(encodeAtrData(atr))).toEqual({ ok: true, value: atr });
    const penny = { atr: 1.2e-7, atr_percent: 0.000_35, date: '2026-11-20' };
    expect(decodeAtrData(encodeAtrData(penny))).toEqual({ ok: true, value: penny });
  });

  it('reads what the Python writer stored', () => {
    expect(decodeAtrData({ atr: '1.25', atr_percent: '2.5', date: '2025-11-25' })).toEqual({
      ok: true,
      value: { atr: 1.25, atr_percent: 2.5, date: '2025-11-25' },
    });
  });

  it('treats an empty HGETALL reply as a missing key', () => {
    expect(decodeAtrData({})).toMatchObject({ ok: false, error: { code: 'MISSING' } });
  });

  it.each([
    ['no atr', { atr_percent: '2.5', date: '2025-11-25' }, 'atr'],
    ['atr as NaN', { atr: 'nan', atr_percent: '2.5', date: '2025-11-25' }, 'atr'],
    ['a negative atr', { atr: '-1', atr_percent: '2.5', date: '2025-11-25' }, 'atr'],
    ['atr_percent as Infinity', { atr: '1', atr_percent: 'Infinity', date: '2025-11-25' }, 'atr_percent'],
    ['a date that does not exist', { atr: '1', atr_percent: '2', date: '2025-11-31' }, 'date'],
    ['no date', { atr: '1', atr_percent: '2' }, 'date'],
  ])('refuses %s', (_label, hash, path) => {
    expect(decodeAtrData(hash)).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE', path } });
  });

  it('refuses what is not a hash reply', () => {
    for (const value of [null, 'atr', ['1', '2']]) {
      const code = value === null ? 'MISSING' : 'INVALID_VALUE';
      expect(decodeAtrData(value as unknown as Record<string, string>)).toMatchObject({ ok: false, error: { code } });
    }
    expect(decodeAtrData({ atr: 1 } as unknown as Record<string, string>)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_VALUE', path: 'atr' },
    });
  });

  it('refuses to write a value a reader would refuse', () => {
    expect(() => encodeAtrData({ ...atr, atr: Number.POSITIVE_INFINITY })).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE' }) as Error,
    );
  });
});
