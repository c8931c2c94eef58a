import { describe, expect, it } from 'vitest';
import { type RateState, initialRateState, takeToken } from './rate-limiter.js';

const limits = { ratePerSecond: 10, burst: 5, maxViolations: 3, windowMs: 1000 };

function takeMany(state: RateState, n: number, now: number) {
  const verdicts: string[] = [];
  let s = state;
  for (let i = 0; i < n; i++) {
    const r = takeToken(s, now, limits);
    s = r.state;
    verdicts.push(r.verdict);
  }
  return { state: s, verdicts };
}

describe('takeToken', () => {
  it('allows a burst, then refuses', () => {
    const { verdicts } = takeMany(initialRateState(0, limits), 6, 0);
    expect(verdicts).toEqual(['allow', 'allow', 'allow', 'allow', 'allow', 'deny']);
  });

  it('refills at the configured rate', () => {
    const drained = takeMany(initialRateState(0, limits), 5, 0).state;
    expect(takeToken(drained, 50, limits).verdict).toBe('deny');
    expect(takeToken(drained, 100, limits).verdict).toBe('allow');
  });

  it('never refills past the burst', () => {
    const { verdicts } = takeMany(initialRateState(0, limits), 6, 60_000);
    expect(verdicts.filter((v) => v === 'allow')).toHaveLength(5);
  });

  it('closes after maxViolations refusals within the window', () => {
    const { verdicts } = takeMany(initialRateState(0, limits), 8, 0);
    expect(verdicts.slice(5)).toEqual(['deny', 'deny', 'close']);
  });

  it('forgets refusals from an earlier window', () => {
    let s = takeMany(initialRateState(0, limits), 7, 0).state; // 2 violations at t=0
    s = takeMany(s, 1, 1000).state; // refilled: allowed
    const later = takeMany(s, 30, 2000); // a new window
    expect(later.verdicts.indexOf('close')).toBeGreaterThan(later.verdicts.indexOf('deny'));
    expect(later.verdicts.filter((v) => v === 'deny')).toHaveLength(2);
  });
});
