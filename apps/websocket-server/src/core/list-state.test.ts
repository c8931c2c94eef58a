import { nyseCalendar } from '@scanner/market-calendar';
import type { DeltaStreamEntry, RankingStreamEntry } from '@scanner/redis-keys';
import type { ScannerRow } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import { type ListState, applyStreamEntry, stateFromLoad } from './list-state.js';

// 2025-11-26 is a Wednesday; 10:00 New York is 15:00Z.
const EPOCH = '2025-11-26';
const TODAY = '2025-11-26T15:00:00.000Z';
const YESTERDAY_EVENING = '2025-11-26T00:30:00.000Z'; // 19:30 New York on the 25th

const row = (symbol: string, rank: number, timestamp: string | number = TODAY): ScannerRow => ({ symbol, rank, timestamp, price: rank * 10 });

const state = (sequence: number, rows: ScannerRow[] = [row('AAA', 1), row('BBB', 2)]): ListState => ({
  list: 'winners',
  epoch: EPOCH,
  sequence,
  rows,
  timestamp: TODAY,
});

const snapshot = (sequence: number, rows: ScannerRow[], timestamp = TODAY): RankingStreamEntry => ({
  type: 'snapshot',
  list: 'winners',
  sequence,
  rows,
  timestamp,
  count: rows.length,
});

const delta = (sequence: number, deltas: DeltaStreamEntry['deltas'], timestamp = TODAY): RankingStreamEntry => ({
  type: 'delta',
  list: 'winners',
  sequence,
  deltas,
  timestamp,
  change_count: deltas.length,
});

const apply = (held: ListState | undefined, entry: RankingStreamEntry) => applyStreamEntry({ state: held, entry, epoch: EPOCH, calendar: nyseCalendar });

describe('applyStreamEntry', () => {
  it('applies a delta at exactly the next sequence', () => {
    const outcome = apply(state(7), delta(8, [{ action: 'rerank', symbol: 'BBB', old_rank: 2, new_rank: 1 }, { action: 'rerank', symbol: 'AAA', old_rank: 1, new_rank: 2 }]));
    expect(outcome.kind).toBe('delta');
    if (outcome.kind !== 'delta') return;
    expect(outcome.state.sequence).toBe(8);
    expect(outcome.state.rows.map((r) => r.symbol)).toEqual(['BBB', 'AAA']);
    expect(outcome.state.epoch).toBe(EPOCH);
  });

  it('ignores a delta at or below the held sequence as a duplicate', () => {
    expect(apply(state(7), delta(7, [{ action: 'remove', symbol: 'AAA' }]))).toEqual({ kind: 'ignored', reason: 'duplicate' });
    expect(apply(state(7), delta(3, [{ action: 'remove', symbol: 'AAA' }]))).toEqual({ kind: 'ignored', reason: 'duplicate' });
  });

  it('asks for a reload on a gap, a conflicting delta, or a delta with no state', () => {
    expect(apply(state(7), delta(9, []))).toMatchObject({ kind: 'reload', reason: 'gap' });
    expect(apply(state(7), delta(8, [{ action: 'remove', symbol: 'ZZZ' }]))).toMatchObject({ kind: 'reload', reason: 'conflict' });
    expect(apply(undefined, delta(8, []))).toMatchObject({ kind: 'reload', reason: 'no_state' });
  });

  it('takes a snapshot as the state: initial, advancing, or a restart at a lower sequence', () => {
    expect(apply(undefined, snapshot(5, [row('AAA', 1)]))).toMatchObject({ kind: 'snapshot', reason: 'initial', state: { sequence: 5 } });
    expect(apply(state(5), snapshot(9, [row('AAA', 1)]))).toMatchObject({ kind: 'snapshot', reason: 'advance', state: { sequence: 9 } });
    const restart = apply(state(4179), snapshot(1, [row('CCC', 1)]));
    expect(restart).toMatchObject({ kind: 'snapshot', reason: 'restart', state: { sequence: 1 } });
    expect(apply(state(5), snapshot(5, [row('AAA', 1), row('BBB', 2)]))).toEqual({ kind: 'ignored', reason: 'duplicate' });
  });

  it('takes a snapshot at the held sequence with other rows as a restart (a scanner restarting twice at 1)', () => {
    const again = apply(state(1, [row('AAA', 1), row('BBB', 2)]), snapshot(1, [row('CCC', 1)]));
    expect(again).toMatchObject({ kind: 'snapshot', reason: 'restart', state: { sequence: 1, rows: [row('CCC', 1)] } });
  });

  it("ignores entries produced on an earlier trading day than the epoch", () => {
    expect(apply(undefined, snapshot(5, [row('AAA', 1, YESTERDAY_EVENING)], YESTERDAY_EVENING))).toEqual({ kind: 'ignored', reason: 'stale_day' });
    expect(apply(state(7), delta(8, [], YESTERDAY_EVENING))).toEqual({ kind: 'ignored', reason: 'stale_day' });
  });

  it('counts Saturday data as Friday: on or before, by the New York date', () => {
    const saturday = '2025-11-29T15:00:00.000Z';
    const outcome = applyStreamEntry({ state: undefined, entry: snapshot(1, [row('AAA', 1, saturday)], saturday), epoch: '2025-11-28', calendar: nyseCalendar });
    expect(outcome.kind).toBe('snapshot');
  });
});

describe('stateFromLoad', () => {
  const now = new Date('2025-11-26T08:30:00.000Z'); // 03:30 New York: Redis still holds yesterday's lists

  it("serves yesterday's rows as an empty list for the new epoch, sequence 0", () => {
    const loaded = { rows: [row('AAA', 1, YESTERDAY_EVENING), row('BBB', 2, YESTERDAY_EVENING)], sequence: 4179 };
    const { state: s, stale } = stateFromLoad('winners', loaded, EPOCH, now, nyseCalendar);
    expect(stale).toBe(true);
    expect(s).toEqual({ list: 'winners', epoch: EPOCH, sequence: 0, rows: [], timestamp: now.toISOString() });
  });

  it("serves today's rows with their sequence and the newest row time as the production time", () => {
    const loaded = { rows: [row('AAA', 1, '2025-11-26T14:00:00Z'), row('BBB', 2, Date.parse('2025-11-26T14:05:00Z') / 1000)], sequence: 12 };
    const { state: s, stale } = stateFromLoad('winners', loaded, EPOCH, now, nyseCalendar);
    expect(stale).toBe(false);
    expect(s.sequence).toBe(12);
    expect(s.rows).toHaveLength(2);
    expect(s.timestamp).toBe('2025-11-26T14:05:00.000Z');
  });

  it('gives sequence 0 and no rows for a list never written', () => {
    const { state: s, stale } = stateFromLoad('losers', { rows: null, sequence: null }, EPOCH, now, nyseCalendar);
    expect(stale).toBe(false);
    expect(s).toMatchObject({ list: 'losers', sequence: 0, rows: [] });
  });

  it('keeps the sequence of a list that is written but empty', () => {
    expect(stateFromLoad('reversals', { rows: [], sequence: 33 }, EPOCH, now, nyseCalendar).state.sequence).toBe(33);
  });
});
