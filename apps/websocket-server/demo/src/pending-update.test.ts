import type { ListTable, TableUpdate } from '@scanner/scanner-client';
import { describe, expect, it } from 'vitest';
import { mergeUpdate } from './pending-update.js';

const table = (sequence: number, epoch = '2026-11-19'): ListTable => ({ list: 'winners', epoch, sequence, rows: [] });
const update = (kind: TableUpdate['kind'], sequence: number, changed: string[], epoch?: string): TableUpdate => ({
  table: table(sequence, epoch),
  changed: new Set(changed),
  kind,
});

describe('mergeUpdate', () => {
  it('starts from the first update', () => {
    expect(mergeUpdate(undefined, update('snapshot', 4, ['A']))).toEqual({ table: table(4), changed: new Set(['A']), kind: 'snapshot', sawReset: false });
  });

  it('keeps the newest table and the union of the changed symbols', () => {
    const merged = mergeUpdate(mergeUpdate(undefined, update('delta', 5, ['A', 'B'])), update('delta', 6, ['B', 'C']));
    expect(merged.table.sequence).toBe(6);
    expect([...merged.changed].sort()).toEqual(['A', 'B', 'C']);
    expect(merged.kind).toBe('delta');
    expect(merged.sawReset).toBe(false);
  });

  it('forgets the previous day\'s changes at a reset and remembers the reset until drawn', () => {
    const reset = mergeUpdate(mergeUpdate(undefined, update('delta', 9, ['OLD'])), update('reset', 0, [], '2026-11-20'));
    expect(reset).toMatchObject({ kind: 'reset', sawReset: true, changed: new Set() });
    const refilled = mergeUpdate(reset, update('snapshot', 1, ['NEW'], '2026-11-20'));
    expect(refilled).toMatchObject({ kind: 'snapshot', sawReset: true, changed: new Set(['NEW']) });
    expect(refilled.table.epoch).toBe('2026-11-20');
  });
});
