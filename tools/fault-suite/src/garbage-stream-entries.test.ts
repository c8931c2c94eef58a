import { decodeRankingStreamEntry } from '@scanner/redis-keys';
import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.js';
import { type EntryContext, MUTATOR_NAMES, randomGarbageEntries, tableGarbageEntries, validDeltaFields, validSnapshotFields } from './garbage-stream-entries.js';

const TIMESTAMP = '2025-11-26T15:00:00.000Z';
const ctx: EntryContext = {
  list: 'winners',
  sequence: 41,
  timestamp: TIMESTAMP,
  rows: [
    { symbol: 'AAA', rank: 1, timestamp: TIMESTAMP, price: 10 },
    { symbol: 'BBB', rank: 2, timestamp: TIMESTAMP, price: 9 },
    { symbol: 'CCC', rank: 3, timestamp: TIMESTAMP, price: 8 },
  ],
};

describe('garbage stream entries', () => {
  it('builds its garbage on bases that do decode', () => {
    expect(decodeRankingStreamEntry(validDeltaFields(ctx))).toMatchObject({ ok: true, value: { type: 'delta', sequence: 42 } });
    expect(decodeRankingStreamEntry(validSnapshotFields(ctx))).toMatchObject({ ok: true, value: { type: 'snapshot', count: 3 } });
  });

  it('table: every entry is refused by the decoder with the code the table names', () => {
    const entries = tableGarbageEntries(ctx);
    expect(entries.length).toBeGreaterThan(100);
    const wrong = entries
      .map((entry) => ({ name: entry.name, expected: entry.code, decoded: decodeRankingStreamEntry(entry.fields) }))
      .filter(({ expected, decoded }) => decoded.ok || decoded.error.code !== expected)
      .map(({ name, expected, decoded }) => `${name}: expected ${expected}, got ${decoded.ok ? 'a valid entry' : decoded.error.code}`);
    expect(wrong).toEqual([]);
  });

  it('random: the same seed gives the same entries, every mutator is drawn, and each is refused with its code', () => {
    const first = randomGarbageEntries(seededRandom(20251126), 400, ctx);
    expect(randomGarbageEntries(seededRandom(20251126), 400, ctx)).toEqual(first);
    for (const name of MUTATOR_NAMES) expect(first.some((e) => e.name.includes(`: ${name} of`)), name).toBe(true);
    const wrong = first
      .map((entry) => ({ entry, decoded: decodeRankingStreamEntry(entry.fields) }))
      .filter(({ entry, decoded }) => decoded.ok || decoded.error.code !== entry.code)
      .map(({ entry, decoded }) => `${entry.name}: expected ${entry.code}, got ${decoded.ok ? 'a valid entry' : decoded.error.code}`);
    expect(wrong).toEqual([]);
    for (const entry of first) {
      expect(entry.fields.length % 2).toBe(0);
      expect(entry.fields.every((f) => typeof f === 'string')).toBe(true);
    }
  });
});
