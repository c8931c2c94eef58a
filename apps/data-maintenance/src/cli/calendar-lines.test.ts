import { nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { calendarLines } from './calendar-lines.js';

describe('calendarLines', () => {
  it('covers every date of the range, holidays and early closes included', () => {
    const lines = [...calendarLines(nyseCalendar, '2026-11-25', '2026-11-28')];
    expect(lines.map((l) => [l.date, l.trading_day, l.early_close])).toEqual([
      ['2026-11-25', true, false],
      ['2026-11-26', false, false],
      ['2026-11-27', true, true],
      ['2026-11-28', false, false],
    ]);
    expect(lines[1]).toMatchObject({ closure: 'Thanksgiving Day', market_open: null, post_market_close: null });
    // EST (UTC-5): 04:00, 09:30, 13:00, 17:00 New York on the early-close Friday.
    expect(lines[2]).toMatchObject({
      pre_market_open: '2026-11-27T09:00:00.000Z',
      market_open: '2026-11-27T14:30:00.000Z',
      market_close: '2026-11-27T18:00:00.000Z',
      post_market_close: '2026-11-27T22:00:00.000Z',
    });
  });

  it('follows daylight saving time: 09:30 New York is 13:30 UTC in summer', () => {
    const [line] = [...calendarLines(nyseCalendar, '2026-07-01', '2026-07-01')];
    expect(line).toMatchObject({ market_open: '2026-07-01T13:30:00.000Z', market_close: '2026-07-01T20:00:00.000Z' });
  });
});
