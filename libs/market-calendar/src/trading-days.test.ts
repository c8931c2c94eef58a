import { describe, expect, it } from 'vitest';
import { nyseCalendar as calendar } from './trading-calendar.js';

const calendarError = (code: string) => expect.objectContaining({ name: 'CalendarError', code });

describe('trading-day arithmetic', () => {
  it.each([
    ['2026-11-20', '2026-11-23'], // over a weekend
    ['2026-11-25', '2026-11-27'], // over Thanksgiving
    ['2026-12-31', '2027-01-04'], // over New Year's Day and a weekend
    ['2001-09-10', '2001-09-17'], // over the September 2001 closure
    ['2026-11-21', '2026-11-23'], // from a Saturday
  ])('the trading day after %s is %s', (date, next) => {
    expect(calendar.nextTradingDay(date)).toBe(next);
  });

  it.each([
    ['2026-11-23', '2026-11-20'],
    ['2026-11-27', '2026-11-25'],
    ['2027-01-04', '2026-12-31'],
    ['2001-09-17', '2001-09-10'],
    ['2026-11-26', '2026-11-25'],
  ])('the trading day before %s is %s', (date, previous) => {
    expect(calendar.previousTradingDay(date)).toBe(previous);
  });

  it('finds the trading day on or around a date', () => {
    expect(calendar.tradingDayOnOrBefore('2026-11-20')).toBe('2026-11-20');
    expect(calendar.tradingDayOnOrBefore('2026-11-22')).toBe('2026-11-20');
    expect(calendar.tradingDayOnOrAfter('2026-11-26')).toBe('2026-11-27');
    expect(calendar.tradingDayOnOrAfter('2026-11-27')).toBe('2026-11-27');
  });

  it('lists the last N sessions up to a date, oldest first', () => {
    expect(calendar.lastSessions(5, '2026-11-30')).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-27', '2026-11-30']);
    expect(calendar.lastSessions(3, '2026-11-29')).toEqual(['2026-11-24', '2026-11-25', '2026-11-27']);
    expect(calendar.lastSessions(0, '2026-11-29')).toEqual([]);
    const hundred = calendar.lastSessions(100, '2026-11-20');
    expect(hundred).toHaveLength(100);
    expect(hundred.at(-1)).toBe('2026-11-20');
    expect(hundred.every((d) => calendar.isTradingDay(d))).toBe(true);
    expect(new Set(hundred).size).toBe(100);
    for (const bad of [-1, 1.5, Number.NaN, 1e9]) {
      expect(() => calendar.lastSessions(bad, '2026-11-20')).toThrow(calendarError('INVALID_ARGUMENT'));
    }
  });

  it('lists the sessions between two dates, both included', () => {
    expect(calendar.sessionsBetween('2026-11-20', '2026-11-30')).toEqual([
      '2026-11-20',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-27',
      '2026-11-30',
    ]);
    expect(calendar.sessionsBetween('2026-11-21', '2026-11-22')).toEqual([]);
    expect(calendar.sessionsBetween('2026-11-23', '2026-11-23')).toEqual(['2026-11-23']);
    expect(() => calendar.sessionsBetween('2026-11-30', '2026-11-20')).toThrow(calendarError('INVALID_RANGE'));
  });

  it('refuses to step off the covered years or take bad dates', () => {
    expect(() => calendar.previousTradingDay('2000-01-03')).toThrow(calendarError('OUT_OF_RANGE'));
    expect(() => calendar.nextTradingDay('2099-12-31')).toThrow(calendarError('OUT_OF_RANGE'));
    expect(() => calendar.nextTradingDay('2026-02-30')).toThrow(calendarError('INVALID_DATE'));
    expect(() => calendar.isTradingDay('tomorrow')).toThrow(calendarError('INVALID_DATE'));
  });
});
