import { describe, expect, it } from 'vitest';
import { applyRankingDeltas } from './apply-ranking-deltas.js';
import type { ScannerRow } from './scanner-row.js';

const T0 = '2026-11-20T14:30:00.000Z';
const T1 = '2026-11-20T14:30:05.000Z';
const rows: ScannerRow[] = [
  { symbol: 'AAA', rank: 1, timestamp: T0, price: 10 },
  { symbol: 'BBB', rank: 2, timestamp: T0, price: 20 },
  { symbol: 'CCC', rank: 3, timestamp: T0, price: 30 },
];

describe('applyRankingDeltas', () => {
  it('applies add, update, rerank and remove in order and sorts by rank', () => {
    const result = applyRankingDeltas(
      rows,
      [
        { action: 'remove', symbol: 'BBB' },
        { action: 'rerank', symbol: 'CCC', old_rank: 3, new_rank: 2 },
        { action: 'add', rank: 3, symbol: 'DDD', data: { price: 40, timestamp: T1 } },
        { action: 'update', rank: 1, symbol: 'AAA', data: { price: 11 } },
      ],
      T1,
    );
    expect(result).toEqual({
      ok: true,
      value: [
        { symbol: 'AAA', rank: 1, timestamp: T1, price: 11 },
        { symbol: 'CCC', rank: 2, timestamp: T0, price: 30 },
        { symbol: 'DDD', rank: 3, timestamp: T1, price: 40 },
      ],
    });
  });

  it('does not modify its input', () => {
    const before = structuredClone(rows);
    applyRankingDeltas(rows, [{ action: 'remove', symbol: 'AAA' }], T1);
    expect(rows).toEqual(before);
  });

  it('lets the item symbol and rank win over the same fields inside data', () => {
    const result = applyRankingDeltas([], [{ action: 'add', rank: 1, symbol: 'ZZZ', data: { symbol: 'OTHER', rank: 9 } }], T1);
    expect(result.ok && result.value).toEqual([{ symbol: 'ZZZ', rank: 1, timestamp: T1 }]);
  });

  it.each([
    [{ action: 'add', rank: 4, symbol: 'AAA', data: {} }, 'already listed'],
    [{ action: 'update', rank: 1, symbol: 'XXX', data: {} }, 'not listed'],
    [{ action: 'remove', symbol: 'XXX' }, 'not listed'],
    [{ action: 'rerank', symbol: 'XXX', old_rank: 1, new_rank: 2 }, 'not listed'],
    [{ action: 'rerank', symbol: 'BBB', old_rank: 3, new_rank: 1 }, 'but it is at 2'],
  ] as const)('refuses %j as a conflict naming the item', (delta, text) => {
    const result = applyRankingDeltas(rows, [{ action: 'remove', symbol: 'CCC' }, delta], T1);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('DELTA_CONFLICT');
      expect(result.error.path).toBe('1');
      expect(result.error.message).toContain(text);
    }
  });
});
