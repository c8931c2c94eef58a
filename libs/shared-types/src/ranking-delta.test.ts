import { describe, expect, it } from 'vitest';
import { validateRankingDeltas } from './ranking-delta.js';

const add = { action: 'add', rank: 3, symbol: 'TSLA', data: { price: 250.1, change_percent: 5.5 } };
const remove = { action: 'remove', symbol: 'NVDA' };
const rerank = { action: 'rerank', symbol: 'AAPL', old_rank: 4, new_rank: 2 };
const update = { action: 'update', rank: 1, symbol: 'AMD', data: { price: 140 } };

describe('validateRankingDeltas', () => {
  it('accepts the four kinds of item', () => {
    expect(validateRankingDeltas([add, remove, rerank, update])).toEqual({ ok: true, value: [add, remove, rerank, update] });
  });

  it('keeps fields upstream adds, so they reach the clients', () => {
    const result = validateRankingDeltas([{ ...rerank, reason: 'volume' }]);
    expect(result).toEqual({ ok: true, value: [{ ...rerank, reason: 'volume' }] });
  });

  it('narrows on action', () => {
    const result = validateRankingDeltas([rerank]);
    if (!result.ok) throw new Error(result.error.message);
    const [first] = result.value;
    expect(first?.action === 'rerank' ? first.new_rank - first.old_rank : null).toBe(-2);
  });

  it.each([
    ['an unknown action', [{ ...add, action: 'insert' }], '0.action'],
    ['a missing action', [{ symbol: 'A' }], '0.action'],
    ['add without data', [{ action: 'add', rank: 1, symbol: 'A' }], '0.data'],
    ['data that is an array', [{ ...update, data: [1] }], '0.data'],
    ['data that is null', [{ ...update, data: null }], '0.data'],
    ['rerank without new_rank', [{ action: 'rerank', symbol: 'A', old_rank: 1 }], '0.new_rank'],
    ['a negative rank', [{ ...update, rank: -1 }], '0.rank'],
    ['remove with an empty symbol', [{ action: 'remove', symbol: '' }], '0.symbol'],
    ['an object instead of an array', add, ''],
  ])('refuses %s', (_label, value, path) => {
    const result = validateRankingDeltas(value);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_DELTAS' } });
    expect(!result.ok && (result.error.path ?? '')).toBe(path);
  });
});
