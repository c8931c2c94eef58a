import { describe, expect, it } from 'vitest';
import type { ScannerList } from '@scanner/shared-types';
import { checkListName, follow, unfollow } from './followed-lists.js';
import { type ListState, initialListState, onDelta, onNotSubscribed, onSnapshot, onSubscriptionDropped, subscribing } from './list-table.js';
import { DAY, delta, priceUpdate, row, snapshot } from '../test/support/messages.js';

const followed = (...lists: ScannerList[]) => new Set<ScannerList>(lists);

describe('checkListName', () => {
  it('accepts the 11 names and refuses anything else with UNKNOWN_LIST, naming the operation', () => {
    expect(checkListName('gappers_up', 'subscribe')).toBe('gappers_up');
    for (const bad of ['top_gainers', 'Winners', '', 7, null, undefined]) {
      expect(() => checkListName(bad, 'subscribe')).toThrow(expect.objectContaining({ name: 'ScannerClientError', code: 'UNKNOWN_LIST' }));
    }
    expect(() => checkListName('top_gainers', 'unsubscribe')).toThrow(/^unsubscribe: unknown list "top_gainers"; expected one of winners, /);
  });
});

describe('follow', () => {
  it('while open: a new list starts empty and its subscribe_list goes out now, without resume', () => {
    const decision = follow(followed('winners'), 'losers', true);
    expect(decision).toEqual({
      kind: 'follow',
      state: { table: { list: 'losers', epoch: null, sequence: null, rows: [] }, pending: 'subscribe', resumeSent: null },
      send: { action: 'subscribe_list', list: 'losers' },
    });
  });

  it('while not open: the list is held with nothing to send (the next open subscribes it)', () => {
    expect(follow(followed(), 'losers', false)).toEqual({ kind: 'follow', state: initialListState('losers'), send: null });
  });

  it('a list already followed is a no-op, open or not', () => {
    expect(follow(followed('winners', 'losers'), 'losers', true)).toEqual({ kind: 'unchanged' });
    expect(follow(followed('losers'), 'losers', false)).toEqual({ kind: 'unchanged' });
  });

  it('an unknown list throws UNKNOWN_LIST before anything changes', () => {
    expect(() => follow(followed(), 'top_gainers', true)).toThrow(expect.objectContaining({ code: 'UNKNOWN_LIST' }));
  });
});

describe('unfollow', () => {
  it('while open: drops the list and sends unsubscribe_list', () => {
    expect(unfollow(followed('winners', 'losers'), 'losers', true)).toEqual({ kind: 'unfollow', list: 'losers', send: { action: 'unsubscribe_list', list: 'losers' } });
  });

  it('while not open: drops the list with nothing to send', () => {
    expect(unfollow(followed('losers'), 'losers', false)).toEqual({ kind: 'unfollow', list: 'losers', send: null });
  });

  it('a list not followed is a no-op; an unknown one throws UNKNOWN_LIST', () => {
    expect(unfollow(followed('winners'), 'losers', true)).toEqual({ kind: 'unchanged' });
    expect(() => unfollow(followed('winners'), 'top_gainers', true)).toThrow(expect.objectContaining({ code: 'UNKNOWN_LIST' }));
  });
});

describe('a list followed again while the old subscription is still answering', () => {
  function refollowed(): ListState {
    const decision = follow(followed(), 'winners', true);
    if (decision.kind !== 'follow') throw new Error('expected follow');
    return decision.state;
  }

  it('a delta of the old subscription in flight is dropped: the table stays empty until a snapshot', () => {
    const step = onDelta(refollowed(), delta('winners', 11, [priceUpdate('A', 1, 11)]));
    expect(step.state.table).toEqual({ list: 'winners', epoch: null, sequence: null, rows: [] });
    expect([step.update, step.send, step.error]).toEqual([null, null, null]);
  });

  it('a late NOT_SUBSCRIBED (the answer to the unsubscribe) sends no second subscribe', () => {
    const state = refollowed();
    expect(onNotSubscribed(state)).toEqual({ state, update: null, send: null, error: null });
  });
});

describe('onNotSubscribed', () => {
  const live = () => onSnapshot(subscribing(initialListState('winners')).state, snapshot('winners', 10, [row('A', 1, 10)])).state;

  it('a live list or one waiting for its resync subscribes again, resuming from the held table', () => {
    const expected = { action: 'subscribe_list', list: 'winners', resume: { epoch: DAY, sequence: 10 } };
    expect(onNotSubscribed(live()).send).toEqual(expected);
    const resyncing: ListState = { ...live(), pending: 'resync' };
    const step = onNotSubscribed(resyncing);
    expect(step.send).toEqual(expected);
    expect(step.state.pending).toBe('subscribe');
  });

  it('a list with a subscribe scheduled after SNAPSHOT_UNAVAILABLE waits for it', () => {
    const retrying = onSubscriptionDropped(live()).state;
    expect(onNotSubscribed(retrying)).toEqual({ state: retrying, update: null, send: null, error: null });
  });
});
