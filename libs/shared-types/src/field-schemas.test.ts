import { describe, expect, it } from 'vitest';
import { isIsoInstant } from './field-schemas.js';

describe('isIsoInstant', () => {
  it('accepts what JavaScript and Python write', () => {
    expect(isIsoInstant('2026-11-20T22:05:00.000Z')).toBe(true);
    expect(isIsoInstant('2026-11-20T17:05:00.123456-05:00')).toBe(true);
    // Python's isoformat() of a naive datetime.
    expect(isIsoInstant('2026-11-20T17:05:00.123456')).toBe(true);
  });

  it('refuses dates, garbage and non-strings', () => {
    for (const value of ['2026-11-20', '2026-13-01T00:00:00Z', 'yesterday', '', 1763676300000, null]) {
      expect(isIsoInstant(value)).toBe(false);
    }
  });
});
