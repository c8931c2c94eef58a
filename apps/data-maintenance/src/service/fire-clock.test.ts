import { describe, expect, it } from 'vitest';
import { FIRE_TOLERANCE_MS, fireAgreesWithClock } from './fire-clock.js';

describe('fireAgreesWithClock', () => {
  const at = new Date('2026-11-20T22:00:00Z');
  it('trusts a fire within the tolerance either way', () => {
    expect(fireAgreesWithClock(at, at)).toBe(true);
    expect(fireAgreesWithClock(at, new Date(at.getTime() + FIRE_TOLERANCE_MS))).toBe(true);
    expect(fireAgreesWithClock(at, new Date(at.getTime() - FIRE_TOLERANCE_MS))).toBe(true);
  });
  it('leaves to catch-up a fire the service clock places elsewhere (a jump, a suspended host, a test clock)', () => {
    expect(fireAgreesWithClock(at, new Date(at.getTime() + FIRE_TOLERANCE_MS + 1))).toBe(false);
    expect(fireAgreesWithClock(at, new Date('2026-11-23T22:00:00Z'))).toBe(false);
  });
});
