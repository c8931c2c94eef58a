import { describe, expect, it } from 'vitest';
import { newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import { announcedTradingDay } from './announced-trading-day.js';

const at = (date: string, hour: number, minute = 0) => newYorkInstant(date, hour, minute);
const THREE_AM = 180;

describe('announcedTradingDay', () => {
  it.each([
    ['a trading day from its announcement on', at('2026-11-20', 3, 0), '2026-11-20'],
    ['a trading day before its announcement: the previous session', at('2026-11-20', 2, 59), '2026-11-19'],
    ['Saturday: Friday', at('2026-11-21', 12), '2026-11-20'],
    ['Monday before 03:00: Friday', at('2026-11-23', 2, 30), '2026-11-20'],
    ['Thanksgiving: the Wednesday before', at('2026-11-26', 9), '2026-11-25'],
    ['the early-close Friday after it, once announced', at('2026-11-27', 3), '2026-11-27'],
    ['the spring-forward Monday, 03:00 EDT', at('2026-03-09', 3), '2026-03-09'],
    ['the fall-back Monday, 03:00 EST', at('2026-11-02', 3), '2026-11-02'],
  ])('%s', (_what, now, expected) => {
    expect(announcedTradingDay(nyseCalendar, now, THREE_AM)).toBe(expected);
  });

  it('follows the configured announcement time', () => {
    expect(announcedTradingDay(nyseCalendar, at('2026-11-20', 2, 30), 150)).toBe('2026-11-20');
    expect(announcedTradingDay(nyseCalendar, at('2026-11-20', 2, 29), 150)).toBe('2026-11-19');
  });
});
