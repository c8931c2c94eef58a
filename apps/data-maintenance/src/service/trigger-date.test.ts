import { newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { triggerDate } from './trigger-date.js';

describe('triggerDate', () => {
  it('defaults to the last closed session: the day before until the close, the day itself after it', () => {
    expect(triggerDate(nyseCalendar, newYorkInstant('2026-11-20', 15, 59), null)).toEqual({ ok: true, date: '2026-11-19' });
    expect(triggerDate(nyseCalendar, newYorkInstant('2026-11-20', 16, 0), null)).toEqual({ ok: true, date: '2026-11-20' });
    // Over Thanksgiving (Thursday closed) and the early close on Friday at 13:00.
    expect(triggerDate(nyseCalendar, newYorkInstant('2026-11-26', 18, 0), null)).toEqual({ ok: true, date: '2026-11-25' });
    expect(triggerDate(nyseCalendar, newYorkInstant('2026-11-27', 13, 30), null)).toEqual({ ok: true, date: '2026-11-27' });
  });

  it('accepts a closed session and refuses a closed day or a session still open, with stable codes', () => {
    const now = newYorkInstant('2026-11-27', 12, 0);
    expect(triggerDate(nyseCalendar, now, '2026-11-25')).toEqual({ ok: true, date: '2026-11-25' });
    expect(triggerDate(nyseCalendar, now, '2026-11-26')).toMatchObject({ ok: false, code: 'NOT_A_TRADING_DAY' });
    expect(triggerDate(nyseCalendar, now, '2026-11-28')).toMatchObject({ ok: false, code: 'NOT_A_TRADING_DAY' });
    expect(triggerDate(nyseCalendar, now, '2026-11-27')).toMatchObject({ ok: false, code: 'SESSION_NOT_CLOSED' });
    expect(triggerDate(nyseCalendar, now, '2026-12-01')).toMatchObject({ ok: false, code: 'SESSION_NOT_CLOSED' });
  });

  it('refuses a date outside the calendar as not a trading day instead of throwing', () => {
    expect(triggerDate(nyseCalendar, newYorkInstant('2026-11-27', 12, 0), '1850-01-02')).toMatchObject({ ok: false, code: 'NOT_A_TRADING_DAY' });
  });
});
