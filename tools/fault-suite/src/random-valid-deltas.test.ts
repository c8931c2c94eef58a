import { applyRankingDeltas } from '@scanner/shared-types';
import { makeRows } from '@scanner/websocket-server/testing/upstream';
import { describe, expect, it } from 'vitest';
import { randomValidDeltas } from './random-valid-deltas.js';
import { seededRandom } from './seeded-random.js';

const T = '2025-11-26T15:00:00.000Z';

describe('randomValidDeltas', () => {
  it('always gives deltas that apply to the rows they were drawn for, across many ticks', () => {
    const random = seededRandom(11);
    let rows = makeRows(5, T, { volume: true });
    const kinds = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const deltas = randomValidDeltas(rows, random, T);
      for (const d of deltas) kinds.add(d.action);
      const applied = applyRankingDeltas(rows, deltas, T);
      expect(applied.ok, JSON.stringify(deltas)).toBe(true);
      if (applied.ok) rows = applied.value;
    }
    expect([...kinds].sort()).toEqual(['add', 'remove', 'rerank', 'update']);
  });

  it('is the same for the same seed', () => {
    const rows = makeRows(10, T);
    const a = seededRandom(5);
    const b = seededRandom(5);
    expect(Array.from({ length: 20 }, () => randomValidDeltas(rows, a, T))).toEqual(Array.from({ length: 20 }, () => randomValidDeltas(rows, b, T)));
  });
});
