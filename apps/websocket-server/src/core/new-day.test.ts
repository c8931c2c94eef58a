import { describe, expect, it } from 'vitest';
import { classifyEntryDay, decideNewDay } from './new-day.js';

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

describe('classifyEntryDay', () => {
  it('keeps entries of the epoch and drops older ones', () => {
    expect(classifyEntryDay('2025-11-26', '2025-11-26', '2025-11-26')).toBe('current');
    expect(classifyEntryDay('2025-11-25', '2025-11-26', '2025-11-26')).toBe('stale');
  });
  it('advances when upstream already writes a later day the clock agrees with', () => {
    expect(classifyEntryDay('2025-11-26', '2025-11-25', '2025-11-26')).toBe('advance');
    expect(classifyEntryDay('2025-12-01', '2025-11-28', '2025-12-01')).toBe('advance');
  });
  it('never follows a timestamp from a day the clock has not reached', () => {
    expect(classifyEntryDay('2030-01-02', '2025-11-26', '2025-11-26')).toBe('future');
    expect(classifyEntryDay('2025-11-27', '2025-11-25', '2025-11-26')).toBe('future');
  });
});
