import { nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { calendarEpoch, instantOf, latestRowInstant, tradingDayOf } from './production-day.js';

describe('instantOf', () => {
  it('reads ISO text, epoch seconds and epoch milliseconds', () => {
    const iso = '2025-11-26T15:00:00.000Z';
    expect(instantOf(iso)?.toISOString()).toBe(iso);
    expect(instantOf(Date.parse(iso) / 1000)?.toISOString()).toBe(iso);
    expect(instantOf(Date.parse(iso))?.toISOString()).toBe(iso);
    expect(instantOf('yesterday')).toBeNull();
  });
});

describe('tradingDayOf', () => {
  it('uses the New York date, not the UTC one', () => {
    // 2025-11-26T02:00Z is 21:00 on the 25th in New York.
    expect(tradingDayOf(new Date('2025-11-26T02:00:00Z'), nyseCalendar)).toBe('2025-11-25');
  });

  it('maps a holiday or weekend to the trading day before it', () => {
    expect(tradingDayOf(new Date('2025-11-27T15:00:00Z'), nyseCalendar)).toBe('2025-11-26'); // Thanksgiving
    expect(tradingDayOf(new Date('2025-11-30T15:00:00Z'), nyseCalendar)).toBe('2025-11-28'); // Sunday
  });

  it('is null outside the calendar', () => {
    expect(tradingDayOf(new Date('1990-01-02T15:00:00Z'), nyseCalendar)).toBeNull();
  });
});

describe('calendarEpoch', () => {
  it('is the trading day on or before the New York date of now', () => {
    expect(calendarEpoch(new Date('2025-11-29T12:00:00Z'), nyseCalendar)).toBe('2025-11-28');
    expect(calendarEpoch(new Date('2025-12-01T04:30:00Z'), nyseCalendar)).toBe('2025-11-28'); // 23:30 Sunday NY
    expect(calendarEpoch(new Date('2025-12-01T05:30:00Z'), nyseCalendar)).toBe('2025-12-01');
  });
});

describe('latestRowInstant', () => {
  it('is the newest row time, null without rows', () => {
    const rows = [
      { symbol: 'A', rank: 1, timestamp: '2025-11-26T14:00:00Z' },
      { symbol: 'B', rank: 2, timestamp: '2025-11-26T15:00:00Z' },
      { symbol: 'C', rank: 3, timestamp: 'garbage' },
    ];
    expect(latestRowInstant(rows)?.toISOString()).toBe('2025-11-26T15:00:00.000Z');
    expect(latestRowInstant([])).toBeNull();
  });
});
