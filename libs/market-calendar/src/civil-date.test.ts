import { describe, expect, it } from 'vitest';
import { CalendarError } from './errors.js';

const calendarError = (code: string) => expect.objectContaining({ name: 'CalendarError', code });
import {
  addCalendarDays,
  civilOf,
  dayNumberOf,
  formatDayNumber,
  isValidIsoDate,
  parseIsoDate,
  weekdayOfDate,
} from './civil-date.js';

describe('parseIsoDate', () => {
  it('accepts real dates, leap days included', () => {
    expect(formatDayNumber(parseIsoDate('2024-02-29'))).toBe('2024-02-29');
    expect(formatDayNumber(parseIsoDate('2000-02-29'))).toBe('2000-02-29');
    expect(parseIsoDate('2000-01-01')).toBe(10957);
  });

  it.each([
    ['2026-02-29', 'INVALID_DATE'],
    ['2100-02-29', 'INVALID_DATE'],
    ['2026-13-01', 'INVALID_DATE'],
    ['2026-04-31', 'INVALID_DATE'],
    ['2026-00-10', 'INVALID_DATE'],
    ['2026-1-5', 'INVALID_DATE'],
    ['20261105', 'INVALID_DATE'],
    ['2026-11-05T00:00:00Z', 'INVALID_DATE'],
    [' 2026-11-05', 'INVALID_DATE'],
    ['', 'INVALID_DATE'],
    [null, 'INVALID_DATE'],
    [20261105, 'INVALID_DATE'],
    ['1999-12-31', 'OUT_OF_RANGE'],
    ['2100-01-01', 'OUT_OF_RANGE'],
  ])('refuses %j with %s', (value, code) => {
    expect(() => parseIsoDate(value)).toThrow(calendarError(code));
    expect(() => parseIsoDate(value)).toThrow(CalendarError);
    expect(isValidIsoDate(value)).toBe(false);
  });

  it('says what was wrong in the message', () => {
    expect(() => parseIsoDate('2026-02-30')).toThrow('2026-02-30 is not a date on the calendar');
  });
});

describe('day numbers', () => {
  it('round-trips every day of the supported years', () => {
    const first = dayNumberOf(2000, 1, 1);
    const last = dayNumberOf(2099, 12, 31);
    expect(last - first + 1).toBe(36525);
    for (let n = first; n <= last; n++) {
      const { year, month, day } = civilOf(n);
      expect(dayNumberOf(year, month, day)).toBe(n);
    }
  });

  it('agrees with the platform for a sample of dates', () => {
    for (const date of ['2000-01-01', '2012-10-29', '2026-03-08', '2026-11-01', '2035-12-31']) {
      expect(parseIsoDate(date) * 86_400_000).toBe(Date.parse(`${date}T00:00:00Z`));
    }
  });

  it('knows the day of the week', () => {
    expect(weekdayOfDate('2026-11-21')).toBe(6);
    expect(weekdayOfDate('2026-11-23')).toBe(1);
    expect(weekdayOfDate('2000-01-01')).toBe(6);
  });

  it('adds calendar days across month, year and leap boundaries', () => {
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(() => addCalendarDays('2026-03-01', 0.5)).toThrow(calendarError('INVALID_ARGUMENT'));
  });
});
