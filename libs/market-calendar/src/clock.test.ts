import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from './clock.js';

describe('Clock', () => {
  it('the system clock reads the platform time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('a manual clock stands still until set or advanced', () => {
    const clock = new ManualClock('2026-03-08T06:59:00Z');
    expect(clock.now().toISOString()).toBe('2026-03-08T06:59:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-03-08T06:59:00.000Z');
    clock.advance(60_000);
    expect(clock.now().toISOString()).toBe('2026-03-08T07:00:00.000Z');
    clock.set(new Date('2026-11-01T06:00:00Z'));
    expect(clock.now().getTime()).toBe(Date.parse('2026-11-01T06:00:00Z'));
    clock.set(0);
    expect(clock.now().getTime()).toBe(0);
  });

  it('hands out copies', () => {
    const clock = new ManualClock(1_000);
    clock.now().setTime(5);
    expect(clock.now().getTime()).toBe(1_000);
  });

  it('refuses nonsense', () => {
    expect(() => new ManualClock('not a time')).toThrow(expect.objectContaining({ code: 'INVALID_INSTANT' }));
    expect(() => new ManualClock(Number.POSITIVE_INFINITY)).toThrow(expect.objectContaining({ code: 'INVALID_INSTANT' }));
    const clock = new ManualClock(0);
    expect(() => clock.advance(-1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => clock.set(Number.NaN)).toThrow(expect.objectContaining({ code: 'INVALID_INSTANT' }));
  });
});
