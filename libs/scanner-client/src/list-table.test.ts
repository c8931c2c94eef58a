import { describe, expect, it } from 'vitest';
import type { DeltaMessage, SnapshotMessage } from '@scanner/shared-types';
import { type ListState, type Step, initialListState, onDelta, onNewDay, onSnapshot, onSubscribed, onSubscriptionDropped, subscribing } from './list-table.js';
import { DAY, NEXT_DAY, delta, priceUpdate, row, snapshot, subscribedList } from '../test/support/messages.js';

const PREVIOUS_DAY = '2025-11-25';

/** A list holding winners at DAY #10 with rows A, B, C, live. */
function live(): ListState {
  const subscribed = subscribing(initialListState('winners')).state;
  return onSnapshot(subscribed, snapshot('winners', 10, [row('A', 1, 10), row('B', 2, 20), row('C', 3, 30)])).state;
}

function applyAll(state: ListState, messages: readonly (SnapshotMessage | DeltaMessage)[]): { state: ListState; steps: Step[] } {
  const steps: Step[] = [];
  for (const message of messages) {
    const next = message.type === 'snapshot' ? onSnapshot(state, message) : onDelta(state, message);
    steps.push(next);
    state = next.state;
  }
  return { state, steps };
}

describe('snapshot', () => {
  it('replaces the table, sets epoch and sequence, and marks every new row changed', () => {
    const state = live();
    expect(state.table).toEqual({ list: 'winners', epoch: DAY, sequence: 10, rows: [row('A', 1, 10), row('B', 2, 20), row('C', 3, 30)] });
    expect(state.pending).toBe('none');
    const next = onSnapshot(state, snapshot('winners', 1, [row('A', 1, 10), row('Z', 2, 5)]));
    expect(next.update).toEqual({ table: next.state.table, changed: new Set(['Z']), kind: 'snapshot' });
    expect(next.state.table.sequence).toBe(1); // a restart's snapshot (backward jump) is taken as is
  });

  it('is accepted unrequested (stream loss, gap), but not from a day older than the table', () => {
    const stale = onSnapshot(live(), snapshot('winners', 99, [row('OLD', 1)], PREVIOUS_DAY));
    expect(stale.update).toBeNull();
    expect(stale.state).toEqual(live());
  });
});

describe('delta', () => {
  it('applies in-order deltas one after another', () => {
    const { state, steps } = applyAll(live(), [
      delta('winners', 11, [priceUpdate('B', 2, 21)]),
      delta('winners', 12, [{ action: 'remove', symbol: 'A' }, { action: 'rerank', symbol: 'B', old_rank: 2, new_rank: 1 }, { action: 'rerank', symbol: 'C', old_rank: 3, new_rank: 2 }]),
      delta('winners', 13, [{ action: 'add', rank: 3, symbol: 'D', data: { timestamp: 'x', price: 40 } }]),
    ]);
    expect(state.table.sequence).toBe(13);
    expect(state.table.rows.map((r) => [r.symbol, r.rank, r['price']])).toEqual([['B', 1, 21], ['C', 2, 30], ['D', 3, 40]]);
    expect(steps.map((s) => [...(s.update?.changed ?? [])].sort())).toEqual([['B'], ['B', 'C'], ['D']]);
    expect(steps.every((s) => s.update?.kind === 'delta' && s.send === null && s.error === null)).toBe(true);
  });

  it('ignores a duplicate or older sequence', () => {
    const once = onDelta(live(), delta('winners', 11, [priceUpdate('B', 2, 21)])).state;
    for (const sequence of [11, 10, 3]) {
      const again = onDelta(once, delta('winners', sequence, [priceUpdate('B', 2, 99)]));
      expect(again).toEqual({ state: once, update: null, send: null, error: null });
    }
  });

  it('a gap sends one resync and drops every delta until the snapshot; then deltas continue from it', () => {
    const gap = onDelta(live(), delta('winners', 12, [priceUpdate('B', 2, 22)]));
    expect(gap.send).toEqual({ action: 'resync', list: 'winners' });
    expect(gap.error).toMatchObject({ code: 'SEQUENCE_GAP', list: 'winners' });
    expect(gap.update).toBeNull();
    expect(gap.state.table.sequence).toBe(10);

    const dropped = onDelta(gap.state, delta('winners', 13, [priceUpdate('B', 2, 23)]));
    expect(dropped).toEqual({ state: gap.state, update: null, send: null, error: null });

    const { state } = applyAll(gap.state, [
      snapshot('winners', 13, [row('A', 1, 10), row('B', 2, 23)]),
      delta('winners', 14, [priceUpdate('A', 1, 11)]),
    ]);
    expect(state.pending).toBe('none');
    expect(state.table.sequence).toBe(14);
    expect(state.table.rows.map((r) => r['price'])).toEqual([11, 23]);
  });

  it('resyncs on a delta for a list it holds nothing of, and on a delta of another (newer) day', () => {
    const empty = onDelta(initialListState('losers'), delta('losers', 5, []));
    expect(empty.send).toEqual({ action: 'resync', list: 'losers' });
    const newer = onDelta(live(), delta('winners', 11, [], NEXT_DAY));
    expect(newer.send).toEqual({ action: 'resync', list: 'winners' });
  });

  it('drops a delta of an older day without asking for anything', () => {
    expect(onDelta(live(), delta('winners', 11, [priceUpdate('B', 2, 5)], PREVIOUS_DAY))).toEqual({ state: live(), update: null, send: null, error: null });
  });

  it('resyncs when a delta does not apply (the table drifted), never guessing', () => {
    const conflict = onDelta(live(), delta('winners', 11, [{ action: 'rerank', symbol: 'A', old_rank: 2, new_rank: 3 }]));
    expect(conflict.send).toEqual({ action: 'resync', list: 'winners' });
    expect(conflict.error).toMatchObject({ code: 'DELTA_CONFLICT', list: 'winners' });
    expect(conflict.state.table).toEqual(live().table);
    expect(conflict.state.pending).toBe('resync');
  });

  it('drops deltas while a subscribe is unanswered', () => {
    const pending = subscribing(initialListState('winners')).state;
    expect(onDelta(pending, delta('winners', 1, [])).send).toBeNull();
  });
});

describe('new day', () => {
  it('empties the table, sets the new epoch and forgets the sequence; the next snapshot fills it', () => {
    const reset = onNewDay(live(), NEXT_DAY);
    expect(reset.state.table).toEqual({ list: 'winners', epoch: NEXT_DAY, sequence: null, rows: [] });
    expect(reset.update).toEqual({ table: reset.state.table, changed: new Set(), kind: 'reset' });

    // Yesterday's deltas and snapshots (a lagging node) no longer apply.
    expect(onDelta(reset.state, delta('winners', 11, [priceUpdate('B', 2, 1)])).update).toBeNull();
    expect(onSnapshot(reset.state, snapshot('winners', 11, [row('A', 1)])).update).toBeNull();

    const fresh = onSnapshot(reset.state, snapshot('winners', 1, [row('N', 1)], NEXT_DAY));
    expect(fresh.state.table).toMatchObject({ epoch: NEXT_DAY, sequence: 1, rows: [row('N', 1)] });
  });

  it('ignores an announcement of a day older than the table', () => {
    expect(onNewDay(live(), PREVIOUS_DAY).update).toBeNull();
  });
});

describe('resume on reconnect', () => {
  it('subscribes with the held position; subscribed_list at exactly it means live again without a snapshot', () => {
    const held = onDelta(live(), delta('winners', 11, [priceUpdate('B', 2, 21)])).state;
    const again = subscribing(held);
    expect(again.send).toEqual({ action: 'subscribe_list', list: 'winners', resume: { epoch: DAY, sequence: 11 } });
    const resumed = onSubscribed(again.state, subscribedList('winners', 11));
    expect(resumed.state.pending).toBe('none');
    expect(onDelta(resumed.state, delta('winners', 12, [priceUpdate('A', 1, 12)])).state.table.sequence).toBe(12);
  });

  it('stays waiting for the snapshot when the server is elsewhere, and drops deltas until it arrives', () => {
    const again = subscribing(live());
    const moved = onSubscribed(again.state, subscribedList('winners', 15));
    expect(moved.state.pending).toBe('subscribe');
    expect(onDelta(moved.state, delta('winners', 16, [])).update).toBeNull();
    const filled = onSnapshot(moved.state, snapshot('winners', 15, [row('Q', 1)]));
    expect(filled.state).toMatchObject({ pending: 'none', table: { sequence: 15 } });
  });

  it('subscribes without resume for a table a new day emptied', () => {
    expect(subscribing(onNewDay(live(), NEXT_DAY).state).send).toEqual({ action: 'subscribe_list', list: 'winners' });
  });

  it('a subscription the server dropped ignores deltas until subscribed again', () => {
    const dropped = onSubscriptionDropped(live()).state;
    expect(dropped.pending).toBe('retry');
    expect(onDelta(dropped, delta('winners', 11, [priceUpdate('B', 2, 21)])).update).toBeNull();
    expect(subscribing(dropped).send).toMatchObject({ action: 'subscribe_list', resume: { sequence: 10 } });
  });
});
