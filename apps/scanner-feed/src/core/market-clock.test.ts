import { newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { marketMomentOf, sessionDateOf } from './market-clock.js';

const ny = (date: string, h: number, m = 0) => newYorkInstant(date, h, m);

describe('sessionDateOf', () => {
  it.each([
    ['2026-11-18', 3, 59, '2026-11-17'], // before the pre-market: yesterday's lists stay up
    ['2026-11-18', 4, 0, '2026-11-18'],
    ['2026-11-18', 22, 0, '2026-11-18'],
    ['2026-11-21', 12, 0, '2026-11-20'], // Saturday: Friday
    ['2026-11-23', 2, 0, '2026-11-20'], // Monday night: still Friday
    ['2026-11-26', 12, 0, '2026-11-25'], // Thanksgiving
  ])('%s %i:%i New York belongs to %s', (date, h, m, expected) => {
    expect(sessionDateOf(ny(date, h, m), nyseCalendar)).toBe(expected);
  });
});

describe('marketMomentOf', () => {
  it('reads the profile at the New York wall time while the market is open', () => {
    const moment = marketMomentOf(ny('2026-11-18', 10, 15), nyseCalendar, ny('2026-11-18', 9, 0));
    expect(moment).toEqual({ sessionDate: '2026-11-18', session: 'MARKET_OPEN', profileMinute: 615, regularMinutes: 390, replay: false });
    expect(marketMomentOf(ny('2026-11-18', 6, 0), nyseCalendar, ny('2026-11-18', 5, 0)).session).toBe('PRE_MARKET');
  });

  it('plays a regular session from 09:30 at real speed while closed, wrapping at the close', () => {
    const origin = ny('2026-11-21', 12, 0);
    const start = marketMomentOf(origin, nyseCalendar, origin);
    expect(start).toMatchObject({ session: 'CLOSED', replay: true, profileMinute: 570, sessionDate: '2026-11-20' });
    const later = new Date(origin.getTime() + 45 * 60_000);
    expect(marketMomentOf(later, nyseCalendar, origin).profileMinute).toBe(615);
    const wrapped = new Date(origin.getTime() + (390 + 10) * 60_000);
    expect(marketMomentOf(wrapped, nyseCalendar, origin).profileMinute).toBe(580);
  });

  it('uses the short session of an early-close day', () => {
    expect(marketMomentOf(ny('2026-11-27', 11, 0), nyseCalendar, ny('2026-11-27', 11, 0)).regularMinutes).toBe(210);
  });
});
