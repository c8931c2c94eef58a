import { describe, expect, it } from 'vitest';
import { NO_SEQUENCE } from './client-delivery.js';
import { Subscriptions } from './subscriptions.js';

describe('Subscriptions', () => {
  it('adds lists up to the cap and refuses past it', () => {
    const subs = new Subscriptions(2);
    expect(subs.add('winners')).toBe('added');
    expect(subs.add('losers')).toBe('added');
    expect(subs.add('gappers_up')).toBe('limit_reached');
    expect(subs.lists()).toEqual(['winners', 'losers']);
  });

  it('treats a repeated subscribe as a fresh start, not a new slot', () => {
    const subs = new Subscriptions(1);
    subs.add('winners');
    const s = subs.get('winners');
    if (s === undefined) throw new Error('missing');
    s.pending = false;
    s.sequence = 7;
    expect(subs.add('winners')).toBe('already_subscribed');
    expect(subs.get('winners')).toEqual({ sequence: NO_SEQUENCE, pending: true });
    expect(subs.size).toBe(1);
  });

  it('frees the slot on remove and resets every sequence on a new day', () => {
    const subs = new Subscriptions(2);
    subs.add('winners');
    subs.add('losers');
    for (const list of subs.lists()) {
      const s = subs.get(list);
      if (s) s.sequence = 10;
    }
    expect(subs.remove('winners')).toBe(true);
    expect(subs.remove('winners')).toBe(false);
    subs.resetSequences();
    expect(subs.get('losers')?.sequence).toBe(NO_SEQUENCE);
  });
});
