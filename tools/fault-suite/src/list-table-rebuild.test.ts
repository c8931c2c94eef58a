import type { DeltaMessage, ScannerRow, ServerMessage, SnapshotMessage } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import { TableBreak, rebuildTable } from './list-table-rebuild.js';

const T = '2025-11-26T15:00:00.000Z';
const rows: ScannerRow[] = [
  { symbol: 'AAA', rank: 1, timestamp: T, price: 10 },
  { symbol: 'BBB', rank: 2, timestamp: T, price: 9 },
];

const snapshot = (sequence: number, r: readonly ScannerRow[] = rows): SnapshotMessage => ({
  type: 'snapshot',
  list: 'winners',
  epoch: '2025-11-26',
  sequence,
  rows: r,
  count: r.length,
  timestamp: T,
});

const tick = (sequence: number, price: number): DeltaMessage => ({
  type: 'delta',
  list: 'winners',
  epoch: '2025-11-26',
  sequence,
  deltas: [{ action: 'update', rank: 1, symbol: 'AAA', data: { price, timestamp: T } }],
  change_count: 1,
  timestamp: T,
});

function breakCode(messages: ServerMessage[]): string | null {
  try {
    rebuildTable(messages, 'winners');
    return null;
  } catch (error) {
    return error instanceof TableBreak ? error.code : 'OTHER';
  }
}

describe('rebuildTable', () => {
  it('applies deltas in sequence on top of the last snapshot and counts both', () => {
    const table = rebuildTable([snapshot(4), tick(5, 11), tick(6, 12)], 'winners');
    expect(table.sequence).toBe(6);
    expect(table.rows[0]).toMatchObject({ symbol: 'AAA', price: 12 });
    expect(table.rows[1]).toEqual(rows[1]);
    expect(table).toMatchObject({ snapshots: 1, deltas: 2, deltaSequences: [5, 6] });
  });

  it('restarts from a fresh snapshot (a resync after a gap is allowed, the gap itself is not)', () => {
    const fresh: ScannerRow[] = [{ symbol: 'AAA', rank: 1, timestamp: T, price: 50 }];
    const table = rebuildTable([snapshot(1), tick(2, 11), snapshot(9, fresh), tick(10, 51)], 'winners');
    expect(table.sequence).toBe(10);
    expect(table.snapshots).toBe(2);
    expect(table.rows).toEqual([{ symbol: 'AAA', rank: 1, timestamp: T, price: 51 }]);
  });

  it('ignores other lists and frame types, and empties the table on new_day', () => {
    const other = { ...tick(99, 1), list: 'losers' } as const;
    const table = rebuildTable([snapshot(1), other, { type: 'pong', timestamp: T }, { type: 'new_day', epoch: '2025-11-27', date: '2025-11-27' }], 'winners');
    expect(table).toMatchObject({ rows: [], sequence: -1, snapshots: 1, deltas: 0 });
  });

  it('refuses a gap, a duplicate, a delta before any snapshot and a delta that does not fit', () => {
    expect(breakCode([snapshot(1), tick(3, 11)])).toBe('SEQUENCE_BREAK');
    expect(breakCode([snapshot(1), tick(2, 11), tick(2, 11)])).toBe('SEQUENCE_BREAK');
    expect(breakCode([tick(2, 11)])).toBe('DELTA_BEFORE_SNAPSHOT');
    const missing: DeltaMessage = { ...tick(2, 11), deltas: [{ action: 'remove', symbol: 'ZZZ' }] };
    expect(breakCode([snapshot(1), missing])).toBe('DELTA_CONFLICT');
    expect(breakCode([snapshot(1), tick(2, 11)])).toBeNull();
  });
});
