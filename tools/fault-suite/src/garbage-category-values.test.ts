import { decodeScannerRows, decodeSequence } from '@scanner/redis-keys';
import { describe, expect, it } from 'vitest';
import { garbageKeyValues } from './garbage-category-values.js';

const TIMESTAMP = '2025-11-26T15:00:00.000Z';
const rows = [
  { symbol: 'AAA', rank: 1, timestamp: TIMESTAMP, price: 10 },
  { symbol: 'BBB', rank: 2, timestamp: TIMESTAMP, price: 9 },
];

describe('garbageKeyValues', () => {
  it('gives only values the key codecs refuse (never a missing key, which means "nothing written")', () => {
    const values = garbageKeyValues(rows);
    expect(values.filter((v) => v.key === 'category').length).toBeGreaterThanOrEqual(10);
    expect(values.filter((v) => v.key === 'sequence').length).toBeGreaterThanOrEqual(4);
    const accepted = values
      .map((v) => ({ name: v.name, decoded: v.key === 'category' ? decodeScannerRows(v.value) : decodeSequence(v.value) }))
      .filter(({ decoded }) => decoded.ok || decoded.error.code === 'MISSING')
      .map(({ name }) => name);
    expect(accepted).toEqual([]);
  });

  it('includes values of a few megabytes', () => {
    expect(Math.max(...garbageKeyValues(rows).map((v) => v.value.length))).toBeGreaterThan(2_000_000);
  });
});
