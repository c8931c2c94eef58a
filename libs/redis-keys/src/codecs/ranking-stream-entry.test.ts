import type { RankingDelta } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import {
  type DeltaStreamEntry,
  type SnapshotStreamEntry,
  decodeRankingStreamEntry,
  encodeRankingStreamEntry,
} from './ranking-stream-entry.js';

const rows = [
  { symbol: 'TSLA', rank: 1, timestamp: '2026-11-20T14:31:05.120Z', price: 250.1, change_percent: 9.5 },
  { symbol: 'BRK.B', rank: 2, timestamp: '2026-11-20T14:31:05.120Z', price: 480.2, change_percent: 4.1 },
];
const snapshot: SnapshotStreamEntry = {
  type: 'snapshot',
  list: 'winners',
  sequence: 1,
  rows,
  timestamp: '2026-11-20T14:31:05.120Z',
  count: 2,
};
const deltas: RankingDelta[] = [
  { action: 'add', rank: 3, symbol: 'AMD', data: { price: 140, change_percent: 3.9 } },
  { action: 'remove', symbol: 'NVDA' },
  { action: 'rerank', symbol: 'BRK.B', old_rank: 2, new_rank: 1 },
  { action: 'update', rank: 2, symbol: 'TSLA', data: { price: 251 } },
];
const delta: DeltaStreamEntry = {
  type: 'delta',
  list: 'winners',
  sequence: 2,
  deltas,
  timestamp: '2026-11-20T14:31:07.000Z',
  change_count: 4,
};

/** A field list with one field replaced (or, with `undefined`, removed). */
function withField(fields: string[], name: string, value: string | undefined): string[] {
  const out: string[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const field = fields[i] as string;
    if (field !== name) out.push(field, fields[i + 1] as string);
    else if (value !== undefined) out.push(field, value);
  }
  return out;
}

describe('encodeRankingStreamEntry', () => {
  it('writes the fields in the upstream order', () => {
    expect(encodeRankingStreamEntry(snapshot)).toEqual([
      'type', 'snapshot', 'list', 'winners', 'sequence', '1', 'rows', JSON.stringify(rows),
      'timestamp', '2026-11-20T14:31:05.120Z', 'count', '2',
    ]);
    expect(encodeRankingStreamEntry(delta)).toEqual([
      'type', 'delta', 'list', 'winners', 'sequence', '2', 'deltas', JSON.stringify(deltas),
      'timestamp', '2026-11-20T14:31:07.000Z', 'change_count', '4',
    ]);
  });

  it('refuses an entry a reader would refuse', () => {
    const code = expect.objectContaining({ code: 'INVALID_VALUE' }) as Error;
    expect(() => encodeRankingStreamEntry({ ...snapshot, count: 3 })).toThrow(code);
    expect(() => encodeRankingStreamEntry({ ...snapshot, sequence: 0 })).toThrow(code);
    expect(() => encodeRankingStreamEntry({ ...delta, timestamp: 'now' })).toThrow(code);
  });
});

describe('decodeRankingStreamEntry', () => {
  it('decodes what was encoded', () => {
    expect(decodeRankingStreamEntry(encodeRankingStreamEntry(snapshot))).toEqual({ ok: true, value: snapshot });
    expect(decodeRankingStreamEntry(encodeRankingStreamEntry(delta))).toEqual({ ok: true, value: delta });
  });

  it('reads the fields in any order and ignores unknown ones', () => {
    const fields = encodeRankingStreamEntry(delta);
    const reordered = [...fields.slice(6), ...fields.slice(0, 6), 'producer', 'scanner-2'];
    expect(decodeRankingStreamEntry(reordered)).toEqual({ ok: true, value: delta });
  });

  it('accepts an empty snapshot, as after a restart before any ticker qualifies', () => {
    const empty = { ...snapshot, list: 'reversals', rows: [], count: 0 } as const;
    expect(decodeRankingStreamEntry(encodeRankingStreamEntry(empty))).toEqual({ ok: true, value: empty });
  });

  const snap = encodeRankingStreamEntry(snapshot);
  const del = encodeRankingStreamEntry(delta);

  it.each([
    ['an odd field list', snap.slice(0, -1), 'INVALID_ENTRY', undefined],
    ['a field named twice', [...snap, 'list', 'losers'], 'INVALID_ENTRY', 'list'],
    ['no type', withField(snap, 'type', undefined), 'INVALID_ENTRY', 'type'],
    ['an unknown type', withField(snap, 'type', 'full'), 'UNKNOWN_TYPE', 'type'],
    ['no list', withField(snap, 'list', undefined), 'INVALID_ENTRY', 'list'],
    ['an unknown list', withField(snap, 'list', 'all'), 'UNKNOWN_LIST', 'list'],
    ['sequence 0', withField(snap, 'sequence', '0'), 'INVALID_SEQUENCE', 'sequence'],
    ['a negative sequence', withField(snap, 'sequence', '-4'), 'INVALID_SEQUENCE', 'sequence'],
    ['a fractional sequence', withField(snap, 'sequence', '4.5'), 'INVALID_SEQUENCE', 'sequence'],
    ['an unsafe sequence', withField(snap, 'sequence', '9007199254740993'), 'INVALID_SEQUENCE', 'sequence'],
    ['rows that are not JSON', withField(snap, 'rows', '[{'), 'INVALID_JSON', 'rows'],
    ['rows that are not an array', withField(snap, 'rows', '{}'), 'INVALID_ROWS', 'rows'],
    ['a row without rank', withField(snap, 'rows', '[{"symbol":"A","timestamp":"t"}]'), 'INVALID_ROWS', 'rows.0.rank'],
    ['a snapshot carrying deltas', withField(withField(snap, 'rows', undefined), 'count', undefined).concat('deltas', '[]', 'change_count', '0'), 'INVALID_ENTRY', 'rows'],
    ['a count that disagrees', withField(snap, 'count', '3'), 'INVALID_COUNT', 'count'],
    ['a count that is no number', withField(snap, 'count', 'two'), 'INVALID_COUNT', 'count'],
    ['no count', withField(snap, 'count', undefined), 'INVALID_ENTRY', 'count'],
    ['a timestamp that is no instant', withField(snap, 'timestamp', '14:31'), 'INVALID_TIMESTAMP', 'timestamp'],
    ['deltas with an unknown action', withField(del, 'deltas', '[{"action":"swap","symbol":"A"}]'), 'INVALID_DELTAS', 'deltas.0.action'],
    ['a change_count that disagrees', withField(del, 'change_count', '1'), 'INVALID_COUNT', 'change_count'],
  ])('refuses %s', (_label, fields, code, path) => {
    const result = decodeRankingStreamEntry(fields);
    expect(result).toMatchObject({ ok: false, error: { code } });
    expect(!result.ok && result.error.path).toBe(path);
  });

  it('refuses fields that are not text, whatever the caller passes', () => {
    for (const fields of [null, 'type snapshot', [1, 2], ['type', Buffer.from('snapshot')]]) {
      expect(decodeRankingStreamEntry(fields as unknown as string[])).toMatchObject({ ok: false, error: { code: 'INVALID_ENTRY' } });
    }
  });
});
