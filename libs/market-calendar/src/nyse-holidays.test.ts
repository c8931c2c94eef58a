import { describe, expect, it } from 'vitest';
import { NYSE_ONE_OFF_CLOSURES, NYSE_ONE_OFF_EARLY_CLOSES } from './one-off-closures.js';
import { createTradingCalendar, nyseCalendar } from './trading-calendar.js';

/**
 * Golden tables copied from the NYSE's own holiday and early-closing announcements (NYSE Group press
 * releases of the "Holiday and Early Closings Calendar", e.g. 2024-11-08 for 2025-2027 and
 * 2025-12-23 for 2026-2028), and the exchange's notices for unscheduled closures. Not from another
 * library: the point is to catch a rule we got wrong.
 */
const PUBLISHED: Record<number, { closures: string[]; earlyCloses: string[] }> = {
  2022: {
    closures: ['01-17', '02-21', '04-15', '05-30', '06-20', '07-04', '09-05', '11-24', '12-26'],
    earlyCloses: ['11-25'],
  },
  2023: {
    closures: ['01-02', '01-16', '02-20', '04-07', '05-29', '06-19', '07-04', '09-04', '11-23', '12-25'],
    earlyCloses: ['07-03', '11-24'],
  },
  2024: {
    closures: ['01-01', '01-15', '02-19', '03-29', '05-27', '06-19', '07-04', '09-02', '11-28', '12-25'],
    earlyCloses: ['07-03', '11-29', '12-24'],
  },
  2025: {
    closures: ['01-01', '01-09', '01-20', '02-17', '04-18', '05-26', '06-19', '07-04', '09-01', '11-27', '12-25'],
    earlyCloses: ['07-03', '11-28', '12-24'],
  },
  2026: {
    closures: ['01-01', '01-19', '02-16', '04-03', '05-25', '06-19', '07-03', '09-07', '11-26', '12-25'],
    earlyCloses: ['11-27', '12-24'],
  },
  2027: {
    closures: ['01-01', '01-18', '02-15', '03-26', '05-31', '06-18', '07-05', '09-06', '11-25', '12-24'],
    earlyCloses: ['11-26'],
  },
  2028: {
    // New Year's Day falls on Saturday, January 1, 2028: "no New Year's Day holiday is observed".
    closures: ['01-17', '02-21', '04-14', '05-29', '06-19', '07-04', '09-04', '11-23', '12-25'],
    earlyCloses: ['07-03', '11-24'],
  },
  // Earlier published schedules, with the years' unscheduled closures.
  2001: {
    closures: ['01-01', '01-15', '02-19', '04-13', '05-28', '07-04', '09-03', '09-11', '09-12', '09-13', '09-14', '11-22', '12-25'],
    earlyCloses: ['07-03', '11-23', '12-24'],
  },
  2002: {
    // Before 2013 the early close after a Thursday July 4 was Friday July 5, not Wednesday July 3.
    closures: ['01-01', '01-21', '02-18', '03-29', '05-27', '07-04', '09-02', '11-28', '12-25'],
    earlyCloses: ['07-05', '11-29', '12-24'],
  },
  2004: {
    closures: ['01-01', '01-19', '02-16', '04-09', '05-31', '06-11', '07-05', '09-06', '11-25', '12-24'],
    earlyCloses: ['11-26'],
  },
  2007: {
    closures: ['01-01', '01-02', '01-15', '02-19', '04-06', '05-28', '07-04', '09-03', '11-22', '12-25'],
    earlyCloses: ['07-03', '11-23', '12-24'],
  },
  2012: {
    closures: ['01-02', '01-16', '02-20', '04-06', '05-28', '07-04', '09-03', '10-29', '10-30', '11-22', '12-25'],
    earlyCloses: ['07-03', '11-23', '12-24'],
  },
  2013: {
    // The first Wednesday July 3 early close.
    closures: ['01-01', '01-21', '02-18', '03-29', '05-27', '07-04', '09-02', '11-28', '12-25'],
    earlyCloses: ['07-03', '11-29', '12-24'],
  },
  2015: {
    closures: ['01-01', '01-19', '02-16', '04-03', '05-25', '07-03', '09-07', '11-26', '12-25'],
    earlyCloses: ['11-27', '12-24'],
  },
  2018: {
    closures: ['01-01', '01-15', '02-19', '03-30', '05-28', '07-04', '09-03', '11-22', '12-05', '12-25'],
    earlyCloses: ['07-03', '11-23', '12-24'],
  },
  2020: {
    closures: ['01-01', '01-20', '02-17', '04-10', '05-25', '07-03', '09-07', '11-26', '12-25'],
    earlyCloses: ['11-27', '12-24'],
  },
  2021: {
    // Juneteenth became a federal holiday on June 17, 2021; the NYSE first closed for it in 2022.
    closures: ['01-01', '01-18', '02-15', '04-02', '05-31', '07-05', '09-06', '11-25', '12-24'],
    earlyCloses: ['11-26'],
  },
};

const withYear = (year: number, days: string[]) => days.map((md) => `${year}-${md}`);

describe('NYSE holidays and early closes, against the published schedules', () => {
  it.each(Object.keys(PUBLISHED).map(Number))('%i', (year) => {
    const expected = PUBLISHED[year];
    if (!expected) throw new Error(`no golden data for ${year}`);
    expect(nyseCalendar.closuresIn(year).map((c) => c.date)).toEqual(withYear(year, expected.closures));
    expect(nyseCalendar.earlyClosesIn(year).map((c) => c.date)).toEqual(withYear(year, expected.earlyCloses));
    for (const date of withYear(year, expected.closures)) expect(nyseCalendar.isTradingDay(date)).toBe(false);
    for (const date of withYear(year, expected.earlyCloses)) {
      expect(nyseCalendar.isTradingDay(date)).toBe(true);
      expect(nyseCalendar.isEarlyClose(date)).toBe(true);
    }
  });

  it('gives the reason for each closure', () => {
    expect(nyseCalendar.describe('2026-07-03').closure).toEqual({ kind: 'holiday', reason: 'Independence Day' });
    expect(nyseCalendar.describe('2025-01-09').closure).toEqual({
      kind: 'special',
      reason: 'National Day of Mourning for President Jimmy Carter',
    });
    expect(nyseCalendar.describe('2012-10-30').closure?.reason).toBe('Hurricane Sandy');
    expect(nyseCalendar.describe('2026-11-21').closure).toEqual({ kind: 'weekend', reason: 'Weekend' });
    expect(nyseCalendar.describe('2026-11-27').earlyCloseReason).toBe('Day after Thanksgiving Day');
    expect(nyseCalendar.describe('2026-11-23')).toMatchObject({ isTradingDay: true, closure: null, earlyCloseReason: null });
  });

  it('closes on every one-off date in the table, with its reason', () => {
    expect(NYSE_ONE_OFF_CLOSURES.length).toBeGreaterThanOrEqual(10);
    for (const { date, reason } of NYSE_ONE_OFF_CLOSURES) {
      expect(nyseCalendar.describe(date).closure).toEqual({ kind: 'special', reason });
    }
    for (const { date } of NYSE_ONE_OFF_EARLY_CLOSES) expect(nyseCalendar.isEarlyClose(date)).toBe(true);
  });

  it('does not close the Friday before a Saturday New Year (end of the accounting year)', () => {
    for (const date of ['2004-12-31', '2010-12-31', '2021-12-31', '2027-12-31', '2032-12-31']) {
      expect(nyseCalendar.isTradingDay(date)).toBe(true);
    }
  });

  it('moves Sunday holidays to Monday and Saturday holidays (but New Year) to Friday', () => {
    expect(nyseCalendar.isTradingDay('2023-01-02')).toBe(false);
    expect(nyseCalendar.isTradingDay('2022-06-20')).toBe(false);
    expect(nyseCalendar.isTradingDay('2027-06-18')).toBe(false);
    expect(nyseCalendar.isTradingDay('2032-12-24')).toBe(false);
    expect(nyseCalendar.isTradingDay('2033-12-26')).toBe(false);
  });

  it('has ten rule holidays a year from 2022 to 2035, less an unobserved Saturday New Year', () => {
    for (let year = 2000; year <= 2035; year++) {
      const holidays = nyseCalendar.closuresIn(year).filter((c) => c.kind === 'holiday');
      const saturdayNewYear = new Date(Date.UTC(year, 0, 1)).getUTCDay() === 6;
      const expected = (year >= 2022 ? 10 : 9) - (saturdayNewYear ? 1 : 0);
      expect(holidays, String(year)).toHaveLength(expected);
      expect(new Set(holidays.map((h) => h.date)).size).toBe(holidays.length);
      for (const h of holidays) expect([0, 6]).not.toContain(new Date(`${h.date}T12:00:00Z`).getUTCDay());
    }
  });

  it('counts the trading days of whole years as the exchange does', () => {
    expect(nyseCalendar.sessionsBetween('2024-01-01', '2024-12-31')).toHaveLength(252);
    expect(nyseCalendar.sessionsBetween('2025-01-01', '2025-12-31')).toHaveLength(250);
    expect(nyseCalendar.sessionsBetween('2026-01-01', '2026-12-31')).toHaveLength(251);
  });

  it('takes closures announced after the release', () => {
    const calendar = createTradingCalendar({
      extraClosures: [{ date: '2027-03-10', reason: 'National Day of Mourning' }],
      extraEarlyCloses: [{ date: '2027-03-11', reason: 'Weather' }],
    });
    expect(calendar.isTradingDay('2027-03-10')).toBe(false);
    expect(calendar.describe('2027-03-10').closure).toEqual({ kind: 'special', reason: 'National Day of Mourning' });
    expect(calendar.session('2027-03-11')).toMatchObject({ earlyClose: true, slotCount: 42 });
    expect(calendar.nextTradingDay('2027-03-09')).toBe('2027-03-11');
    // The shared default calendar is untouched.
    expect(nyseCalendar.isTradingDay('2027-03-10')).toBe(true);
  });

  it('refuses a bad extra closure', () => {
    expect(() => createTradingCalendar({ extraClosures: [{ date: '2027-02-30', reason: 'x' }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_DATE' }),
    );
    expect(() => createTradingCalendar({ extraClosures: [{ date: '2027-03-10', reason: ' ' }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('refuses a year it does not cover', () => {
    expect(() => nyseCalendar.closuresIn(1999)).toThrow(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
    expect(() => nyseCalendar.earlyClosesIn(2100)).toThrow(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
  });
});
