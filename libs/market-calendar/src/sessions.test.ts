import { describe, expect, it } from 'vitest';
import { newYorkDateOf, newYorkInstant, newYorkOffsetMs, newYorkWallTime, parseWallClock } from './new-york-time.js';
import { nyseCalendar as calendar } from './trading-calendar.js';

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();
const calendarError = (code: string) => expect.objectContaining({ name: 'CalendarError', code });

describe('session instants', () => {
  it('gives a winter (EST, UTC-5) day its instants', () => {
    const s = calendar.session('2026-11-20');
    expect([s.preMarketOpen, s.marketOpen, s.marketClose, s.postMarketClose].map(iso)).toEqual([
      '2026-11-20T09:00:00.000Z',
      '2026-11-20T14:30:00.000Z',
      '2026-11-20T21:00:00.000Z',
      '2026-11-21T01:00:00.000Z',
    ]);
    expect(s).toMatchObject({ date: '2026-11-20', earlyClose: false, slotCount: 78 });
  });

  it('gives a summer (EDT, UTC-4) day its instants', () => {
    const s = calendar.session('2026-07-02');
    expect([s.preMarketOpen, s.marketOpen, s.marketClose, s.postMarketClose].map(iso)).toEqual([
      '2026-07-02T08:00:00.000Z',
      '2026-07-02T13:30:00.000Z',
      '2026-07-02T20:00:00.000Z',
      '2026-07-03T00:00:00.000Z',
    ]);
  });

  it('closes at 13:00 and ends the late session at 17:00 on an early-close day', () => {
    const s = calendar.session('2026-11-27');
    expect([s.marketOpen, s.marketClose, s.postMarketClose].map(iso)).toEqual([
      '2026-11-27T14:30:00.000Z',
      '2026-11-27T18:00:00.000Z',
      '2026-11-27T22:00:00.000Z',
    ]);
    expect(s).toMatchObject({ earlyClose: true, slotCount: 42 });
  });

  it('refuses the session of a day that does not trade', () => {
    expect(() => calendar.session('2026-11-26')).toThrow(calendarError('NOT_A_TRADING_DAY'));
    expect(() => calendar.session('2026-11-26')).toThrow('2026-11-26 is not a trading day (Thanksgiving Day)');
    expect(() => calendar.session('2026-11-21')).toThrow(calendarError('NOT_A_TRADING_DAY'));
    expect(calendar.describe('2026-11-26').session).toBeNull();
  });

  it('hands out copies, so a caller cannot move the calendar', () => {
    calendar.session('2026-11-20').marketOpen.setTime(0);
    expect(iso(calendar.session('2026-11-20').marketOpen)).toBe('2026-11-20T14:30:00.000Z');
  });
});

describe('the 2026 DST switches', () => {
  it('spring forward, Sunday 2026-03-08: 02:00 EST becomes 03:00 EDT', () => {
    expect(iso(newYorkInstant('2026-03-08', 1, 59))).toBe('2026-03-08T06:59:00.000Z');
    expect(iso(newYorkInstant('2026-03-08', 3, 0))).toBe('2026-03-08T07:00:00.000Z');
    expect(() => newYorkInstant('2026-03-08', 2, 30)).toThrow(calendarError('INVALID_TIME'));
    expect(newYorkWallTime(at('2026-03-08T06:59:59Z'))).toEqual({ date: '2026-03-08', hour: 1, minute: 59, second: 59 });
    expect(newYorkWallTime(at('2026-03-08T07:00:00Z'))).toEqual({ date: '2026-03-08', hour: 3, minute: 0, second: 0 });
    expect(newYorkOffsetMs(Date.parse('2026-03-08T06:59:59.999Z'))).toBe(-5 * 3_600_000);
    expect(newYorkOffsetMs(Date.parse('2026-03-08T07:00:00Z'))).toBe(-4 * 3_600_000);
    expect(calendar.isTradingDay('2026-03-08')).toBe(false);
    expect(calendar.sessionAt(at('2026-03-08T15:00:00Z'))).toBe('CLOSED');
  });

  it('the sessions either side of the spring switch', () => {
    expect(iso(calendar.session('2026-03-06').marketOpen)).toBe('2026-03-06T14:30:00.000Z');
    expect(iso(calendar.session('2026-03-09').preMarketOpen)).toBe('2026-03-09T08:00:00.000Z');
    expect(iso(calendar.session('2026-03-09').marketOpen)).toBe('2026-03-09T13:30:00.000Z');
    expect(calendar.sessionAt(at('2026-03-09T13:29:59.999Z'))).toBe('PRE_MARKET');
    expect(calendar.sessionAt(at('2026-03-09T13:30:00Z'))).toBe('MARKET_OPEN');
  });

  it('fall back, Sunday 2026-11-01: 02:00 EDT becomes 01:00 EST', () => {
    // 01:30 happens twice; the first (daylight-time) one is chosen.
    expect(iso(newYorkInstant('2026-11-01', 1, 30))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(newYorkInstant('2026-11-01', 2, 0))).toBe('2026-11-01T07:00:00.000Z');
    expect(iso(newYorkInstant('2026-11-01', 3, 0))).toBe('2026-11-01T08:00:00.000Z');
    expect(newYorkWallTime(at('2026-11-01T05:30:00Z'))).toMatchObject({ hour: 1, minute: 30 });
    expect(newYorkWallTime(at('2026-11-01T06:30:00Z'))).toMatchObject({ hour: 1, minute: 30 });
    expect(newYorkOffsetMs(Date.parse('2026-11-01T05:59:59.999Z'))).toBe(-4 * 3_600_000);
    expect(newYorkOffsetMs(Date.parse('2026-11-01T06:00:00Z'))).toBe(-5 * 3_600_000);
    expect(calendar.sessionAt(at('2026-11-01T15:00:00Z'))).toBe('CLOSED');
  });

  it('the sessions either side of the fall switch', () => {
    expect(iso(calendar.session('2026-10-30').marketOpen)).toBe('2026-10-30T13:30:00.000Z');
    expect(iso(calendar.session('2026-11-02').preMarketOpen)).toBe('2026-11-02T09:00:00.000Z');
    expect(iso(calendar.session('2026-11-02').marketOpen)).toBe('2026-11-02T14:30:00.000Z');
    expect(calendar.sessionAt(at('2026-11-02T08:59:59.999Z'))).toBe('CLOSED');
    expect(calendar.sessionAt(at('2026-11-02T09:00:00Z'))).toBe('PRE_MARKET');
  });

  it('follows the pre-2007 rules from the time-zone data (first Sunday of April, last of October)', () => {
    expect(iso(calendar.session('2006-03-31').marketOpen)).toBe('2006-03-31T14:30:00.000Z');
    expect(iso(calendar.session('2006-04-03').marketOpen)).toBe('2006-04-03T13:30:00.000Z');
    expect(iso(calendar.session('2006-10-27').marketOpen)).toBe('2006-10-27T13:30:00.000Z');
    expect(iso(calendar.session('2006-10-30').marketOpen)).toBe('2006-10-30T14:30:00.000Z');
  });
});

describe('sessionAt, to the minute', () => {
  it.each([
    ['2026-11-20T08:59:00Z', 'CLOSED'], // 03:59
    ['2026-11-20T09:00:00Z', 'PRE_MARKET'], // 04:00
    ['2026-11-20T14:29:00Z', 'PRE_MARKET'], // 09:29
    ['2026-11-20T14:30:00Z', 'MARKET_OPEN'], // 09:30
    ['2026-11-20T20:59:00Z', 'MARKET_OPEN'], // 15:59
    ['2026-11-20T21:00:00Z', 'POST_MARKET'], // 16:00
    ['2026-11-21T00:59:00Z', 'POST_MARKET'], // 19:59
    ['2026-11-21T01:00:00Z', 'CLOSED'], // 20:00
    ['2026-11-27T17:59:00Z', 'MARKET_OPEN'], // 12:59 on an early-close day
    ['2026-11-27T18:00:00Z', 'POST_MARKET'], // 13:00
    ['2026-11-27T21:59:00Z', 'POST_MARKET'], // 16:59
    ['2026-11-27T22:00:00Z', 'CLOSED'], // 17:00
    ['2026-11-26T16:00:00Z', 'CLOSED'], // Thanksgiving, 11:00
    ['2026-11-21T16:00:00Z', 'CLOSED'], // Saturday
    ['2026-12-24T17:59:59.999Z', 'MARKET_OPEN'],
    ['2026-12-24T18:00:00Z', 'POST_MARKET'],
  ])('%s is %s', (instant, expected) => {
    expect(calendar.sessionAt(at(instant))).toBe(expected);
  });

  it('is CLOSED outside the years the calendar covers rather than guessing', () => {
    expect(calendar.sessionAt(at('1999-06-01T15:00:00Z'))).toBe('CLOSED');
  });

  it('refuses an invalid instant', () => {
    expect(() => calendar.sessionAt(new Date(Number.NaN))).toThrow(calendarError('INVALID_INSTANT'));
  });
});

describe('New York dates and wall clock', () => {
  it('takes the trading date from New York, never from UTC', () => {
    // 22:00 Friday in New York is already Saturday in UTC.
    expect(newYorkDateOf(at('2026-11-21T03:00:00Z'))).toBe('2026-11-20');
    expect(newYorkDateOf(at('2026-11-21T04:59:59.999Z'))).toBe('2026-11-20');
    expect(newYorkDateOf(at('2026-11-21T05:00:00Z'))).toBe('2026-11-21');
    expect(newYorkDateOf(at('2026-07-03T03:59:59Z'))).toBe('2026-07-02');
    expect(newYorkDateOf(at('2026-07-03T04:00:00Z'))).toBe('2026-07-03');
  });

  it('parses HH:MM wall-clock times for configuration', () => {
    expect(parseWallClock('03:00')).toBe(180);
    expect(parseWallClock('17:00')).toBe(1020);
    expect(parseWallClock('23:59')).toBe(1439);
    for (const bad of ['24:00', '3:00', '03:60', '03:00:00', '', 300]) {
      expect(() => parseWallClock(bad)).toThrow(calendarError('INVALID_TIME'));
    }
  });

  it('refuses a wall time that is not one', () => {
    expect(() => newYorkInstant('2026-11-20', 24, 0)).toThrow(calendarError('INVALID_TIME'));
    expect(() => newYorkInstant('2026-11-20', 9, 60)).toThrow(calendarError('INVALID_TIME'));
    expect(() => newYorkInstant('2026-11-31', 9, 30)).toThrow(calendarError('INVALID_DATE'));
  });
});
