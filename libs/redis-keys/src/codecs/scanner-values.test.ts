import { describe, expect, it } from 'vitest';
import { decodeScannerRows, decodeSequence, encodeScannerRows, encodeSequence } from './scanner-values.js';

const apple = { symbol: 'AAPL', rank: 1, timestamp: '2026-11-20T14:31:05.120Z', price: 231.5 };
const rows = [apple, { symbol: 'BACpB', rank: 2, timestamp: 1763649065, price: 25.1 }];

describe('scanner:category rows', () => {
  it('round-trip with the market fields kept', () => {
    expect(decodeScannerRows(encodeScannerRows(rows))).toEqual({ ok: true, value: rows });
  });

  it('tell a missing key from a bad one', () => {
    expect(decodeScannerRows(null)).toMatchObject({ ok: false, error: { code: 'MISSING' } });
    expect(decodeScannerRows('[{"symbol":')).toMatchObject({ ok: false, error: { code: 'INVALID_JSON' } });
    expect(decodeScannerRows('{"rows":[]}')).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE' } });
    expect(decodeScannerRows('[{"symbol":"A","rank":0,"timestamp":1}]')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_VALUE', path: '0.rank' },
    });
  });

  it('refuse to write rows a reader would refuse', () => {
    expect(() => encodeScannerRows([...rows, { ...apple, rank: 3 }])).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE' }) as Error,
    );
  });
});

describe('scanner:sequence', () => {
  it('round-trips a positive integer', () => {
    expect(encodeSequence(4179)).toBe('4179');
    expect(decodeSequence('4179')).toEqual({ ok: true, value: 4179 });
  });

  it('refuses what is not a positive integer', () => {
    expect(decodeSequence(null)).toMatchObject({ ok: false, error: { code: 'MISSING' } });
    for (const text of ['0', '-1', '1.5', '', 'abc', '1e3', '99999999999999999999']) {
      expect(decodeSequence(text)).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE' } });
    }
    for (const n of [0, -1, 1.5, Number.NaN, 2 ** 60]) {
      expect(() => encodeSequence(n)).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }) as Error);
    }
  });
});
