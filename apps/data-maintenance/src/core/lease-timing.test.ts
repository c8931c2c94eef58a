import { describe, expect, it } from 'vitest';
import { leaseLapsesBeforeRetry } from './lease-timing.js';

describe('leaseLapsesBeforeRetry', () => {
  const lease = { confirmedAt: 1_000, leaseMs: 60_000, retryMs: 20_000 };

  it('keeps the lease while the next try still comes before it lapses', () => {
    expect(leaseLapsesBeforeRetry({ ...lease, now: 21_000 })).toBe(false);
    expect(leaseLapsesBeforeRetry({ ...lease, now: 40_999 })).toBe(false);
  });

  it('counts it lost once the lease would lapse before the next try', () => {
    expect(leaseLapsesBeforeRetry({ ...lease, now: 41_000 })).toBe(true);
    expect(leaseLapsesBeforeRetry({ ...lease, now: 61_000 })).toBe(true);
  });
});
