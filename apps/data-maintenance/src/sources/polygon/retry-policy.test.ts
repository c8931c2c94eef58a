import { describe, expect, it } from 'vitest';
import { backoffDelayMs, retryAfterMs, verdictOfStatus } from './retry-policy.js';

describe('backoffDelayMs', () => {
  it('draws uniformly below a doubling ceiling capped at the maximum', () => {
    expect([1, 2, 3, 4].map((retry) => backoffDelayMs(retry, 100, 1000, 0.999_999))).toEqual([99, 199, 399, 799]);
    expect(backoffDelayMs(5, 100, 1000, 0.999_999)).toBe(999);
    expect(backoffDelayMs(30, 100, 1000, 0.5)).toBe(500);
    expect(backoffDelayMs(3, 100, 1000, 0)).toBe(0);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-20T22:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Fri, 20 Nov 2026 22:00:03 GMT', now)).toBe(3000);
    expect(retryAfterMs('Fri, 20 Nov 2026 21:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs('-5', now)).toBeNull();
    expect(retryAfterMs('1.5', now)).toBeNull();
  });
});

describe('verdictOfStatus', () => {
  it('retries 429, 408 and 5xx, and fails 404 and other 4xx at once', () => {
    expect(verdictOfStatus(200)).toEqual({ kind: 'ok' });
    expect(verdictOfStatus(429)).toEqual({ kind: 'retry', reason: 'rate_limited', code: 'RATE_LIMITED' });
    expect(verdictOfStatus(408)).toEqual({ kind: 'retry', reason: 'timeout', code: 'TIMEOUT' });
    expect(verdictOfStatus(500)).toEqual({ kind: 'retry', reason: 'server_error', code: 'UPSTREAM_ERROR' });
    expect(verdictOfStatus(503)).toEqual({ kind: 'retry', reason: 'server_error', code: 'UPSTREAM_ERROR' });
    expect(verdictOfStatus(404)).toEqual({ kind: 'fail', code: 'NOT_FOUND' });
    expect(verdictOfStatus(401)).toEqual({ kind: 'fail', code: 'REJECTED' });
    expect(verdictOfStatus(403)).toEqual({ kind: 'fail', code: 'REJECTED' });
    expect(verdictOfStatus(400)).toEqual({ kind: 'fail', code: 'REJECTED' });
  });
});
