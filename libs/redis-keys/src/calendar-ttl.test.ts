import { createTradingCalendar, newYorkInstant, newYorkWallTime, nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { calendarExpiresAt, calendarTtlSeconds } from './calendar-ttl.js';
import { RedisKeyError } from './redis-key-error.js';

const HOUR = 3600;
const after = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000);

describe('calendarTtlSeconds', () => {
  it('keeps Friday evening values over the weekend, past Monday open and Monday maintenance', () => {
    const now = newYorkInstant('2026-11-20', 17, 5);
    const ttl = calendarTtlSeconds({ sessionDate: '2026-11-20', now, calendar: nyseCalendar });
    // Until Monday 17:00 EST (22:00Z) + 6 h grace = Tuesday 04:00Z.
    expect(ttl).toBe(3 * 24 * HOUR + 5 * HOUR + 55 * 60);
    expect(after(now, ttl).toISOString()).toBe('2026-11-24T04:00:00.000Z');
    expect(after(now, ttl).getTime()).toBeGreaterThan(newYorkInstant('2026-11-23', 9, 30).getTime());
    expect(after(now, ttl).getTime()).toBeGreaterThan(newYorkInstant('2026-11-23', 17, 0).getTime());
    // The seed's fixed 24 h would have been gone by Saturday evening.
    expect(ttl).toBeGreaterThan(24 * HOUR);
  });

  it('skips Thanksgiving and keeps 17:00 on the early-close Friday after it', () => {
    expect(nyseCalendar.isEarlyClose('2026-11-27')).toBe(true);
    const now = newYorkInstant('2026-11-25', 17, 5);
    const ttl = calendarTtlSeconds({ sessionDate: '2026-11-25', now, calendar: nyseCalendar, graceSeconds: 0 });
    expect(newYorkWallTime(after(now, ttl))).toEqual({ date: '2026-11-27', hour: 17, minute: 0, second: 0 });
  });

  it('counts wall-clock hours across the end of daylight time', () => {
    // Friday 2026-10-30 is EDT (UTC-4); Monday 2026-11-02 is EST (UTC-5): the weekend is 73 hours long.
    const now = newYorkInstant('2026-10-30', 17, 5);
    expect(now.toISOString()).toBe('2026-10-30T21:05:00.000Z');
    const ttl = calendarTtlSeconds({ sessionDate: '2026-10-30', now, calendar: nyseCalendar, graceSeconds: 0 });
    expect(after(now, ttl).toISOString()).toBe('2026-11-02T22:00:00.000Z');
    expect(newYorkWallTime(after(now, ttl))).toEqual({ date: '2026-11-02', hour: 17, minute: 0, second: 0 });
    expect(ttl).toBe(3 * 24 * HOUR + HOUR - 5 * 60);
  });

  it('follows the calendar it is given, closures added at run time included', () => {
    const calendar = createTradingCalendar({ extraClosures: [{ date: '2026-11-23', reason: 'Storm' }] });
    const now = newYorkInstant('2026-11-20', 17, 5);
    const ttl = calendarTtlSeconds({ sessionDate: '2026-11-20', now, calendar, graceSeconds: 0 });
    expect(newYorkWallTime(after(now, ttl)).date).toBe('2026-11-24');
  });

  it('honours the maintenance time and grace it is given', () => {
    const now = newYorkInstant('2026-11-18', 20, 0);
    const ttl = calendarTtlSeconds({
      sessionDate: '2026-11-18',
      now,
      calendar: nyseCalendar,
      maintenanceMinuteOfDay: 18 * 60 + 30,
      graceSeconds: 600,
    });
    expect(newYorkWallTime(after(now, ttl))).toEqual({ date: '2026-11-19', hour: 18, minute: 40, second: 0 });
  });

  it('rounds up to whole seconds and never goes below 1', () => {
    const now = new Date(newYorkInstant('2026-11-20', 17, 5).getTime() + 500);
    expect(calendarTtlSeconds({ sessionDate: '2026-11-20', now, calendar: nyseCalendar })).toBe(280_500);
    const late = newYorkInstant('2026-12-01', 12, 0);
    expect(calendarTtlSeconds({ sessionDate: '2026-11-20', now: late, calendar: nyseCalendar })).toBe(1);
  });

  it.each([
    ['a date that does not exist', { sessionDate: '2026-02-30' }, 'INVALID_DATE'],
    ['an instant as text', { now: '2026-11-20T22:05:00Z' as unknown as Date }, 'INVALID_ARGUMENT'],
    ['an invalid Date', { now: new Date(Number.NaN) }, 'INVALID_ARGUMENT'],
    ['a maintenance minute past midnight', { maintenanceMinuteOfDay: 1440 }, 'INVALID_ARGUMENT'],
    ['a fractional maintenance minute', { maintenanceMinuteOfDay: 1020.5 }, 'INVALID_ARGUMENT'],
    ['a negative grace', { graceSeconds: -1 }, 'INVALID_ARGUMENT'],
  ])('refuses %s', (_label, override, code) => {
    const options = { sessionDate: '2026-11-20', now: newYorkInstant('2026-11-20', 17, 5), calendar: nyseCalendar, ...override };
    expect(() => calendarTtlSeconds(options)).toThrow(RedisKeyError);
    expect(() => calendarTtlSeconds(options)).toThrow(expect.objectContaining({ code }) as Error);
  });
});

describe('calendarExpiresAt', () => {
  it('is the next session run plus grace, whatever the time of writing', () => {
    // Friday 2026-11-20: Monday 2026-11-23 17:00 New York (22:00Z) plus the 6 h grace.
    expect(calendarExpiresAt({ sessionDate: '2026-11-20', calendar: nyseCalendar }).toISOString()).toBe('2026-11-24T04:00:00.000Z');
    // Wednesday before Thanksgiving: Friday's early-close session still runs at 17:00.
    expect(calendarExpiresAt({ sessionDate: '2026-11-25', calendar: nyseCalendar, graceSeconds: 0 }).toISOString()).toBe('2026-11-27T22:00:00.000Z');
  });

  it('agrees with calendarTtlSeconds', () => {
    const now = new Date('2026-11-20T22:00:00.000Z');
    const expires = calendarExpiresAt({ sessionDate: '2026-11-20', calendar: nyseCalendar });
    expect(calendarTtlSeconds({ sessionDate: '2026-11-20', calendar: nyseCalendar, now })).toBe((expires.getTime() - now.getTime()) / 1000);
  });
});
