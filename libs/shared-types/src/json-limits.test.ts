import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, jsonValueProblem } from './json-limits.js';
import { validateRankingDeltas } from './ranking-delta.js';
import { validateScannerRows } from './scanner-row.js';

const nested = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

describe('jsonValueProblem', () => {
  it('accepts what survives a JSON round trip', () => {
    expect(jsonValueProblem({ symbol: 'A', rank: 1, price: 1.7976931348623157e308, tags: ['x', { a: [1, null, true] }] })).toBeNull();
    expect(jsonValueProblem(nested(MAX_JSON_DEPTH))).toBeNull();
    expect(jsonValueProblem('text')).toBeNull();
  });

  it('refuses numbers JSON cannot hold, wherever they are', () => {
    expect(jsonValueProblem(JSON.parse('{"price":1e400}'))).toMatch(/Infinity/);
    expect(jsonValueProblem({ a: [{ b: -Infinity }] })).toMatch(/-Infinity/);
    expect(jsonValueProblem([Number.NaN])).toMatch(/NaN/);
  });

  it('refuses nesting past the limit without overflowing the stack itself', () => {
    expect(jsonValueProblem(nested(MAX_JSON_DEPTH + 1))).toMatch(/nested deeper/);
    expect(jsonValueProblem(nested(200_000))).toMatch(/nested deeper/);
    expect(jsonValueProblem({ a: { b: { c: 1 } } }, 2)).toMatch(/deeper than 2/);
  });
});

describe('rows and deltas that would not survive being sent on', () => {
  const row = { symbol: 'A', rank: 1, timestamp: '2025-11-26T15:00:00.000Z' };

  it('are refused with the validators\' own codes', () => {
    expect(validateScannerRows(JSON.parse(`[{"symbol":"A","rank":1,"timestamp":1,"price":1e400}]`))).toMatchObject({ ok: false, error: { code: 'INVALID_ROWS', path: '0' } });
    expect(validateScannerRows([{ ...row, note: nested(10_000) }])).toMatchObject({ ok: false, error: { code: 'INVALID_ROWS' } });
    const deep = [{ action: 'update', rank: 1, symbol: 'A', data: { note: nested(10_000) } }];
    expect(validateRankingDeltas(deep)).toMatchObject({ ok: false, error: { code: 'INVALID_DELTAS', path: '0' } });
    expect(validateRankingDeltas([{ action: 'remove', symbol: 'A', extra: -Infinity }])).toMatchObject({ ok: false, error: { code: 'INVALID_DELTAS' } });
  });

  it('while ordinary ones still pass', () => {
    expect(validateScannerRows([{ ...row, price: 1e308, tags: ['a'] }]).ok).toBe(true);
    expect(validateRankingDeltas([{ action: 'update', rank: 1, symbol: 'A', data: { price: 2 } }]).ok).toBe(true);
  });
});
