import { describe, expect, it } from 'vitest';
import { decodeRvolAverages, encodeRvolAverages } from './rvol-averages.js';

const fullDay = new Map(Array.from({ length: 78 }, (_, slot) => [slot, 12_500 + slot * 1_000.5] as [number, number]));

describe('rvol:hist:avg', () => {
  it('writes one field per slot, "0".."77"', () => {
    const hash = encodeRvolAverages(fullDay);
    expect(Object.keys(hash)).toHaveLength(78);
    expect(hash['0']).toBe('12500');
    expect(hash['77']).toBe('89538.5');
  });

  it('round-trips in slot order', () => {
    const decoded = decodeRvolAverages(encodeRvolAverages(fullDay));
    expect(decoded).toEqual({ ok: true, value: fullDay });
    expect(decoded.ok && [...decoded.value.keys()].slice(0, 3)).toEqual([0, 1, 2]);
  });

  it('keeps a partial day as it is', () => {
    const partial = new Map([[5, 300], [6, 450.25]]);
    expect(decodeRvolAverages(encodeRvolAverages(partial))).toEqual({ ok: true, value: partial });
  });

  it('reads what the Python writer stored', () => {
    expect(decodeRvolAverages({ '0': '12500', '1': '15000.0', '2': '13200' })).toEqual({
      ok: true,
      value: new Map([[0, 12500], [1, 15000], [2, 13200]]),
    });
  });

  it.each([
    ['slot 78', { '78': '1' }, '78'],
    ['a negative slot', { '-1': '1' }, '-1'],
    ['a padded slot', { '07': '1' }, '07'],
    ['a named field', { avg: '1' }, 'avg'],
    ['a negative volume', { '3': '-5' }, '3'],
    ['a volume that is no number', { '3': 'lots' }, '3'],
  ])('refuses %s', (_label, hash, path) => {
    expect(decodeRvolAverages(hash)).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE', path } });
  });

  it('treats an empty reply as a missing key and refuses to write an empty map', () => {
    expect(decodeRvolAverages({})).toMatchObject({ ok: false, error: { code: 'MISSING' } });
    expect(() => encodeRvolAverages(new Map())).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }) as Error);
  });

  it('refuses to write a slot or volume a reader would refuse', () => {
    const code = expect.objectContaining({ code: 'INVALID_VALUE' }) as Error;
    expect(() => encodeRvolAverages(new Map([[78, 1]]))).toThrow(code);
    expect(() => encodeRvolAverages(new Map([[1.5, 1]]))).toThrow(code);
    expect(() => encodeRvolAverages(new Map([[1, Number.NaN]]))).toThrow(code);
  });
});
