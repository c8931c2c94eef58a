import { nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { bootstrapWindow, decideBootstrap, defaultBootstrapSessions, lastClosedSession } from './bootstrap-plan.js';

// New York is UTC-5 in November 2026: the regular close 16:00 ET is 21:00Z.
const at = (iso: string) => new Date(iso);

describe('defaultBootstrapSessions', () => {
  it('covers two ATR windows with the defaults (ATR 14, RVOL 5, catch-up 10)', () => {
    expect(defaultBootstrapSessions({ atrPeriod: 14, rvolSessions: 5, catchUpSessions: 10 })).toBe(30);
  });

  it('grows with the RVOL window and the catch-up window', () => {
    expect(defaultBootstrapSessions({ atrPeriod: 2, rvolSessions: 20, catchUpSessions: 10 })).toBe(23);
    expect(defaultBootstrapSessions({ atrPeriod: 14, rvolSessions: 5, catchUpSessions: 40 })).toBe(40);
  });
});

describe('lastClosedSession', () => {
  it('is today once the regular market closed, yesterday before', () => {
    expect(lastClosedSession(nyseCalendar, at('2026-11-20T21:00:00Z'))).toBe('2026-11-20');
    expect(lastClosedSession(nyseCalendar, at('2026-11-20T20:59:59Z'))).toBe('2026-11-19');
  });

  it('is Friday all weekend and until Monday 16:00', () => {
    expect(lastClosedSession(nyseCalendar, at('2026-11-21T05:00:00Z'))).toBe('2026-11-20');
    expect(lastClosedSession(nyseCalendar, at('2026-11-22T23:00:00Z'))).toBe('2026-11-20');
    expect(lastClosedSession(nyseCalendar, at('2026-11-23T15:00:00Z'))).toBe('2026-11-20');
  });

  it('uses the New York date, not the UTC one, and the early close', () => {
    // Friday 2026-11-27 closes at 13:00 ET (18:00Z); 01:00Z on the 28th is still Friday evening in New York.
    expect(lastClosedSession(nyseCalendar, at('2026-11-27T18:00:00Z'))).toBe('2026-11-27');
    expect(lastClosedSession(nyseCalendar, at('2026-11-27T17:59:00Z'))).toBe('2026-11-25');
    expect(lastClosedSession(nyseCalendar, at('2026-11-21T01:00:00Z'))).toBe('2026-11-20');
  });
});

describe('bootstrapWindow', () => {
  it('counts trading sessions back from the last closed one, over weekends and holidays', () => {
    // 2026-11-30 (Mon) back over Fri 27 (early close), Thanksgiving 26 (closed), Wed 25, Tue 24.
    expect(bootstrapWindow(nyseCalendar, at('2026-11-30T22:00:00Z'), 4)).toEqual({ from: '2026-11-24', to: '2026-11-30', sessions: 4 });
    expect(bootstrapWindow(nyseCalendar, at('2026-11-21T05:00:00Z'), 1)).toEqual({ from: '2026-11-20', to: '2026-11-20', sessions: 1 });
  });

  it('refuses a window of no session', () => {
    expect(() => bootstrapWindow(nyseCalendar, at('2026-11-21T05:00:00Z'), 0)).toThrow(RangeError);
  });
});

describe('decideBootstrap', () => {
  const window = { from: '2026-10-12', to: '2026-11-20', sessions: 30 };

  it('reuses the data when the newest session of the window completed', () => {
    expect(decideBootstrap(window, { date: '2026-11-20', latestRunStatus: 'completed' })).toMatchObject({ action: 'reuse' });
  });

  it('bootstraps an empty ledger', () => {
    const decision = decideBootstrap(window, { date: '2026-11-20', latestRunStatus: null });
    expect(decision).toEqual({ action: 'bootstrap', reason: 'no run of 2026-11-20 in the ledger', window });
  });

  it('bootstraps (tops up) when the newest session failed, was interrupted, or the probe was of another date', () => {
    expect(decideBootstrap(window, { date: '2026-11-20', latestRunStatus: 'failed' })).toMatchObject({ action: 'bootstrap', reason: 'the latest run of 2026-11-20 is failed' });
    expect(decideBootstrap(window, { date: '2026-11-20', latestRunStatus: 'interrupted' }).action).toBe('bootstrap');
    expect(decideBootstrap(window, { date: '2026-11-19', latestRunStatus: 'completed' }).action).toBe('bootstrap');
  });
});
