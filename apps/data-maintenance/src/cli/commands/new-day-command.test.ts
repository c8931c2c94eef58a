import { newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { newDayDate, newDaySummary } from './new-day-command.js';

const at = (date: string, hour: number, minute = 0) => ({ calendar: nyseCalendar, now: newYorkInstant(date, hour, minute), newDayMinute: 180 });

describe('newDayDate', () => {
  it('defaults to the latest trading day whose announcement time has passed', () => {
    expect(newDayDate(null, at('2026-11-20', 3))).toEqual({ ok: true, value: '2026-11-20' });
    expect(newDayDate(null, at('2026-11-20', 2, 59))).toEqual({ ok: true, value: '2026-11-19' });
    expect(newDayDate(null, at('2026-11-22', 12))).toEqual({ ok: true, value: '2026-11-20' }); // Sunday
    expect(newDayDate(null, at('2026-11-26', 10))).toEqual({ ok: true, value: '2026-11-25' }); // Thanksgiving
    expect(newDayDate(null, at('2026-11-27', 3))).toEqual({ ok: true, value: '2026-11-27' }); // early close: a trading day
  });

  it('accepts the current day given explicitly, and refuses any other', () => {
    expect(newDayDate('2026-11-20', at('2026-11-20', 9))).toEqual({ ok: true, value: '2026-11-20' });
    expect(newDayDate('2026-11-19', at('2026-11-20', 9))).toMatchObject({ ok: false, error: { code: 'NOT_CURRENT_DAY' } });
    expect(newDayDate('2026-11-20', at('2026-11-20', 2))).toMatchObject({ ok: false, error: { code: 'NOT_CURRENT_DAY' } });
    expect(newDayDate('2026-11-23', at('2026-11-20', 9))).toMatchObject({ ok: false, error: { code: 'NOT_CURRENT_DAY' } });
    expect(newDayDate('2026-11-26', at('2026-11-26', 9))).toMatchObject({ ok: false, error: { code: 'NOT_A_TRADING_DAY' } });
  });

  it('names both days in the refusal', () => {
    const refused = newDayDate('2026-11-18', at('2026-11-20', 9));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/2026-11-18.*2026-11-20/);
  });
});

describe('newDaySummary', () => {
  it('prints the outcome in snake_case, as the other commands do', () => {
    const line = newDaySummary({
      date: '2026-11-20',
      jobRunId: 7,
      published: false,
      previousDay: '2026-11-20',
      receivers: 0,
      keysDeleted: 0,
      websocket: { status: 'skipped', detail: 'x' },
    });
    expect(line).toEqual({
      date: '2026-11-20',
      status: 'completed',
      job_run_id: 7,
      published: false,
      previous_day: '2026-11-20',
      receivers: 0,
      keys_deleted: 0,
      websocket: { status: 'skipped', detail: 'x' },
    });
  });
});
