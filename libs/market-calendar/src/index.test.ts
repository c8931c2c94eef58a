import { describe, expect, it } from 'vitest';
import {
  EARLY_CLOSE_DAY_SLOTS,
  FIRST_SUPPORTED_YEAR,
  FULL_DAY_SLOTS,
  LAST_SUPPORTED_YEAR,
  MARKET_TIME_ZONE,
  SLOT_MINUTES,
  TradingCalendar,
  Weekday,
  nyseCalendar,
  weekdayOfDate,
} from './index.js';

describe('public constants', () => {
  it('describe the session grid the services share', () => {
    expect(MARKET_TIME_ZONE).toBe('America/New_York');
    expect(SLOT_MINUTES).toBe(5);
    expect(FULL_DAY_SLOTS).toBe(78);
    expect(EARLY_CLOSE_DAY_SLOTS).toBe(42);
    expect([FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR]).toEqual([2000, 2099]);
    expect(nyseCalendar.slotCount('2026-11-20')).toBe(FULL_DAY_SLOTS);
    expect(nyseCalendar.slotCount('2026-12-24')).toBe(EARLY_CLOSE_DAY_SLOTS);
  });

  it('name the days of the week as Date#getUTCDay does', () => {
    expect(weekdayOfDate('2026-11-22')).toBe(Weekday.Sunday);
    expect(weekdayOfDate('2026-11-23')).toBe(Weekday.Monday);
    expect(weekdayOfDate('2026-11-21')).toBe(Weekday.Saturday);
  });

  it('a calendar built directly answers as the shared one', () => {
    const calendar = new TradingCalendar();
    for (const date of ['2026-11-26', '2026-11-27', '2025-01-09', '2028-01-03']) {
      expect(calendar.describe(date)).toEqual(nyseCalendar.describe(date));
    }
  });
});
