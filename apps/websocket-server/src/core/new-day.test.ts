import { describe, expect, it } from 'vitest';
import { decideNewDay } from './new-day.js';

describe('decideNewDay', () => {
  it('learns the first epoch without calling it a new day', () => {
    expect(decideNewDay(null, '2025-11-26')).toBe('initial');
  });
  it('advances to a later day', () => {
    expect(decideNewDay('2025-11-25', '2025-11-26')).toBe('advance');
    expect(decideNewDay('2025-12-31', '2026-01-02')).toBe('advance');
  });
  it('is idempotent for the same day and ignores an older one', () => {
    expect(decideNewDay('2025-11-26', '2025-11-26')).toBe('same');
    expect(decideNewDay('2025-11-26', '2025-11-25')).toBe('older');
  });
});
