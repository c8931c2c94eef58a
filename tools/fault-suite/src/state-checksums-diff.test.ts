import { describe, expect, it } from 'vitest';
import { differences, duplicated, splitTemporary, without } from './state-checksums-diff.js';

describe('differences', () => {
  it('is empty for equal states, whatever the key order', () => {
    expect(differences({ a: { rows: 1, md5: 'x' }, b: { rows: 0, md5: '' } }, { b: { rows: 0, md5: '' }, a: { rows: 1, md5: 'x' } })).toEqual([]);
  });
  it('names each entry that differs, or is missing on one side, with both sides, sorted', () => {
    expect(differences({ b: 2, a: 1, c: 3 }, { a: 1, b: 20, d: 4 })).toEqual([
      { name: 'b', actual: 2, expected: 20 },
      { name: 'c', actual: 3, expected: undefined },
      { name: 'd', actual: undefined, expected: 4 },
    ]);
  });
  it('compares nested values deeply (a hash field, a TTL flag)', () => {
    const key = (value: Record<string, string>, hasTtl: boolean) => ({ type: 'hash', value, hasTtl });
    expect(differences({ k: key({ atr: '1.5' }, true) }, { k: key({ atr: '1.5' }, true) })).toEqual([]);
    expect(differences({ k: key({ atr: '1.5' }, true) }, { k: key({ atr: '1.50001' }, true) })).toHaveLength(1);
    expect(differences({ k: key({ atr: '1.5' }, false) }, { k: key({ atr: '1.5' }, true) })).toHaveLength(1);
  });
});

describe('duplicated', () => {
  it('lists the tables with more rows than distinct keys', () => {
    const ok = { table: 'atr_daily', key: ['symbol', 'date'], rows: 10, distinctKeys: 10 };
    const doubled = { table: 'market_data_daily', key: ['symbol', 'date'], rows: 20, distinctKeys: 10 };
    expect(duplicated([ok, doubled])).toEqual([doubled]);
    expect(duplicated([ok])).toEqual([]);
  });
});

describe('without', () => {
  it('drops the named entries only', () => {
    expect(without({ a: 1, maintenance_runs: 2, b: 3 }, ['maintenance_runs'])).toEqual({ a: 1, b: 3 });
  });
});

describe('splitTemporary', () => {
  it('sets the tmp: keys apart with their TTLs and keeps the rest as they are', () => {
    const dump = new Map([
      ['ticker:universe', { ttl: -1, value: 1 }],
      ['tmp:run7-ab:ticker:universe', { ttl: 3600, value: 2 }],
      ['atr:data:AAPL', { ttl: 90_000, value: 3 }],
      ['tmp:run7-ab:atr:data:MSFT', { ttl: -1, value: 4 }],
    ]);
    const { kept, temporary } = splitTemporary(dump);
    expect([...kept.keys()]).toEqual(['ticker:universe', 'atr:data:AAPL']);
    expect(Object.fromEntries(temporary)).toEqual({ 'tmp:run7-ab:ticker:universe': 3600, 'tmp:run7-ab:atr:data:MSFT': -1 });
  });
});
