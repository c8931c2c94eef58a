import { describe, expect, it } from 'vitest';
import { nyseCalendar } from '@scanner/market-calendar';
import { CoreError } from './core-error.js';
import { type FireTime, type JobSchedule, jobSchedules, lastFireTimes, latestFireTime, nextFireTimes, scheduledInstant } from './job-schedule.js';

// The defaults: new day 03:00 and daily 17:00 on trading days, weekly cleanup Sunday 03:00.
const [NEW_DAY, DAILY, WEEKLY] = jobSchedules({ newDayMinute: 180, dailyMinute: 1020, weeklyCleanup: { weekday: 0, minute: 180 } }) as [
  JobSchedule,
  JobSchedule,
  JobSchedule,
];

/** [New York date, UTC instant] pairs: the expectations below are written out by hand. */
const pairs = (fires: readonly FireTime[]) => fires.map((f) => [f.date, f.at.toISOString()]);
function coreErrorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof CoreError ? error.code : `not a CoreError: ${String(error)}`;
  }
  return 'no error';
}
const utc = (date: string, hhmm: string): [string, string] => [date, `${date}T${hhmm}:00.000Z`];

describe('jobSchedules', () => {
  it('builds the three jobs from the configuration, in JOB_NAMES order', () => {
    expect(jobSchedules({ newDayMinute: 150, dailyMinute: 1050, weeklyCleanup: { weekday: 6, minute: 90 } })).toEqual([
      { job: 'new_day', minuteOfDay: 150, days: 'trading_days' },
      { job: 'daily_maintenance', minuteOfDay: 1050, days: 'trading_days' },
      { job: 'weekly_cleanup', minuteOfDay: 90, days: { weekday: 6 } },
    ]);
  });
});

describe('nextFireTimes', () => {
  describe('three weeks around the spring-forward Sunday 2026-03-08 (03:00 EST = 08:00Z, 03:00 EDT = 07:00Z)', () => {
    const after = new Date('2026-03-01T17:00:00Z'); // Sunday noon EST, after that Sunday's cleanup

    it('new_day: 03:00 New York on each weekday', () => {
      expect(pairs(nextFireTimes(NEW_DAY, nyseCalendar, after, 15))).toEqual([
        utc('2026-03-02', '08:00'),
        utc('2026-03-03', '08:00'),
        utc('2026-03-04', '08:00'),
        utc('2026-03-05', '08:00'),
        utc('2026-03-06', '08:00'),
        utc('2026-03-09', '07:00'),
        utc('2026-03-10', '07:00'),
        utc('2026-03-11', '07:00'),
        utc('2026-03-12', '07:00'),
        utc('2026-03-13', '07:00'),
        utc('2026-03-16', '07:00'),
        utc('2026-03-17', '07:00'),
        utc('2026-03-18', '07:00'),
        utc('2026-03-19', '07:00'),
        utc('2026-03-20', '07:00'),
      ]);
    });

    it('daily_maintenance: 17:00 New York on each weekday', () => {
      expect(pairs(nextFireTimes(DAILY, nyseCalendar, after, 10))).toEqual([
        utc('2026-03-02', '22:00'),
        utc('2026-03-03', '22:00'),
        utc('2026-03-04', '22:00'),
        utc('2026-03-05', '22:00'),
        utc('2026-03-06', '22:00'),
        utc('2026-03-09', '21:00'),
        utc('2026-03-10', '21:00'),
        utc('2026-03-11', '21:00'),
        utc('2026-03-12', '21:00'),
        utc('2026-03-13', '21:00'),
      ]);
    });

    it('weekly_cleanup: Sunday 03:00, which exists on the switch day (the clocks jump 02:00 -> 03:00)', () => {
      expect(pairs(nextFireTimes(WEEKLY, nyseCalendar, after, 3))).toEqual([
        utc('2026-03-08', '07:00'),
        utc('2026-03-15', '07:00'),
        utc('2026-03-22', '07:00'),
      ]);
    });
  });

  describe('the fall-back Sunday 2026-11-01 (03:00 EDT = 07:00Z, 03:00 EST = 08:00Z)', () => {
    const after = new Date('2026-10-25T16:00:00Z'); // Sunday noon EDT

    it('new_day', () => {
      expect(pairs(nextFireTimes(NEW_DAY, nyseCalendar, after, 10))).toEqual([
        utc('2026-10-26', '07:00'),
        utc('2026-10-27', '07:00'),
        utc('2026-10-28', '07:00'),
        utc('2026-10-29', '07:00'),
        utc('2026-10-30', '07:00'),
        utc('2026-11-02', '08:00'),
        utc('2026-11-03', '08:00'),
        utc('2026-11-04', '08:00'),
        utc('2026-11-05', '08:00'),
        utc('2026-11-06', '08:00'),
      ]);
    });

    it('daily_maintenance', () => {
      expect(pairs(nextFireTimes(DAILY, nyseCalendar, after, 6))).toEqual([
        utc('2026-10-26', '21:00'),
        utc('2026-10-27', '21:00'),
        utc('2026-10-28', '21:00'),
        utc('2026-10-29', '21:00'),
        utc('2026-10-30', '21:00'),
        utc('2026-11-02', '22:00'),
      ]);
    });

    it('weekly_cleanup: 03:00 on the switch day is already standard time', () => {
      expect(pairs(nextFireTimes(WEEKLY, nyseCalendar, after, 2))).toEqual([utc('2026-11-01', '08:00'), utc('2026-11-08', '08:00')]);
    });
  });

  describe('Thanksgiving week 2026-11-23..29: the 26th closed, the 27th closing at 13:00', () => {
    const after = new Date('2026-11-22T17:00:00Z'); // Sunday noon EST

    it('new_day skips Thanksgiving and announces the early-close Friday', () => {
      expect(pairs(nextFireTimes(NEW_DAY, nyseCalendar, after, 5))).toEqual([
        utc('2026-11-23', '08:00'),
        utc('2026-11-24', '08:00'),
        utc('2026-11-25', '08:00'),
        utc('2026-11-27', '08:00'),
        utc('2026-11-30', '08:00'),
      ]);
    });

    it('daily_maintenance still runs at 17:00 on the early-close Friday', () => {
      expect(pairs(nextFireTimes(DAILY, nyseCalendar, after, 5))).toEqual([
        utc('2026-11-23', '22:00'),
        utc('2026-11-24', '22:00'),
        utc('2026-11-25', '22:00'),
        utc('2026-11-27', '22:00'),
        utc('2026-11-30', '22:00'),
      ]);
    });

    it('weekly_cleanup keeps to Sundays whatever the holidays', () => {
      expect(pairs(nextFireTimes(WEEKLY, nyseCalendar, after, 1))).toEqual([utc('2026-11-29', '08:00')]);
    });
  });

  it('Good Friday 2026-04-03 is skipped by the trading-day jobs', () => {
    const after = new Date('2026-03-29T16:00:00Z');
    expect(pairs(nextFireTimes(NEW_DAY, nyseCalendar, after, 5))).toEqual([
      utc('2026-03-30', '07:00'),
      utc('2026-03-31', '07:00'),
      utc('2026-04-01', '07:00'),
      utc('2026-04-02', '07:00'),
      utc('2026-04-06', '07:00'),
    ]);
    expect(pairs(nextFireTimes(DAILY, nyseCalendar, after, 5))).toEqual([
      utc('2026-03-30', '21:00'),
      utc('2026-03-31', '21:00'),
      utc('2026-04-01', '21:00'),
      utc('2026-04-02', '21:00'),
      utc('2026-04-06', '21:00'),
    ]);
  });

  it('Christmas and New Year 2026-12-21..2027-01-04: the 25th and the 1st closed, the 24th an early close', () => {
    const after = new Date('2026-12-20T17:00:00Z');
    const weekdays = ['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24', '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-04'];
    expect(pairs(nextFireTimes(NEW_DAY, nyseCalendar, after, 9))).toEqual(weekdays.map((d) => utc(d, '08:00')));
    expect(pairs(nextFireTimes(DAILY, nyseCalendar, after, 9))).toEqual(weekdays.map((d) => utc(d, '22:00')));
    expect(pairs(nextFireTimes(WEEKLY, nyseCalendar, after, 2))).toEqual([utc('2026-12-27', '08:00'), utc('2027-01-03', '08:00')]);
  });

  it('is strictly after `after`: a fire exactly at `after` is not next, one a millisecond later is', () => {
    expect(pairs(nextFireTimes(NEW_DAY, nyseCalendar, new Date('2026-03-10T07:00:00.000Z'), 1))).toEqual([utc('2026-03-11', '07:00')]);
    expect(pairs(nextFireTimes(NEW_DAY, nyseCalendar, new Date('2026-03-10T06:59:59.999Z'), 1))).toEqual([utc('2026-03-10', '07:00')]);
  });

  it('later the same day: the next trading day', () => {
    expect(pairs(nextFireTimes(DAILY, nyseCalendar, new Date('2026-11-20T22:00:01Z'), 1))).toEqual([utc('2026-11-23', '22:00')]);
  });

  it('a wall time inside the spring-forward gap runs at the first minute after it (03:00 EDT)', () => {
    const sunday0230: JobSchedule = { job: 'weekly_cleanup', minuteOfDay: 150, days: { weekday: 0 } };
    expect(pairs(nextFireTimes(sunday0230, nyseCalendar, new Date('2026-02-28T12:00:00Z'), 3))).toEqual([
      utc('2026-03-01', '07:30'), // 02:30 EST
      utc('2026-03-08', '07:00'), // 02:30 does not exist: 03:00 EDT
      utc('2026-03-15', '06:30'), // 02:30 EDT
    ]);
  });

  it('a wall time repeated by the fall-back runs once, at its first (daylight-time) occurrence', () => {
    const sunday0130: JobSchedule = { job: 'weekly_cleanup', minuteOfDay: 90, days: { weekday: 0 } };
    expect(pairs(nextFireTimes(sunday0130, nyseCalendar, new Date('2026-10-31T12:00:00Z'), 2))).toEqual([
      utc('2026-11-01', '05:30'), // 01:30 EDT; the second 01:30 (EST, 06:30Z) is not a run
      utc('2026-11-08', '06:30'),
    ]);
  });

  it('a weekly job on another weekday', () => {
    const saturday: JobSchedule = { job: 'weekly_cleanup', minuteOfDay: 60, days: { weekday: 6 } };
    expect(pairs(nextFireTimes(saturday, nyseCalendar, new Date('2026-11-22T12:00:00Z'), 2))).toEqual([
      utc('2026-11-28', '06:00'),
      utc('2026-12-05', '06:00'),
    ]);
  });

  it('count 0 gives nothing; bad arguments are refused with INVALID_ARGUMENT', () => {
    const after = new Date('2026-11-22T12:00:00Z');
    expect(nextFireTimes(NEW_DAY, nyseCalendar, after, 0)).toEqual([]);
    expect(coreErrorCode(() => nextFireTimes(NEW_DAY, nyseCalendar, after, -1))).toBe('INVALID_ARGUMENT');
    expect(coreErrorCode(() => nextFireTimes(NEW_DAY, nyseCalendar, after, 1.5))).toBe('INVALID_ARGUMENT');
    expect(coreErrorCode(() => nextFireTimes({ ...NEW_DAY, minuteOfDay: 1440 }, nyseCalendar, after, 1))).toBe('INVALID_ARGUMENT');
    expect(coreErrorCode(() => nextFireTimes({ ...WEEKLY, days: { weekday: 7 } }, nyseCalendar, after, 1))).toBe('INVALID_ARGUMENT');
  });
});

describe('latestFireTime', () => {
  it('the run at exactly that instant counts; a millisecond before, the previous one', () => {
    expect(latestFireTime(NEW_DAY, nyseCalendar, new Date('2026-03-09T07:00:00.000Z'))?.at.toISOString()).toBe('2026-03-09T07:00:00.000Z');
    expect(latestFireTime(NEW_DAY, nyseCalendar, new Date('2026-03-09T06:59:59.999Z'))?.at.toISOString()).toBe('2026-03-06T08:00:00.000Z');
  });

  it('on Thanksgiving: the Wednesday before; on a Sunday evening: the Friday (daily) and that Sunday (weekly)', () => {
    expect(latestFireTime(DAILY, nyseCalendar, new Date('2026-11-26T23:00:00Z'))).toEqual({
      job: 'daily_maintenance',
      date: '2026-11-25',
      at: new Date('2026-11-25T22:00:00Z'),
    });
    const sundayEvening = new Date('2026-11-29T23:00:00Z');
    expect(latestFireTime(DAILY, nyseCalendar, sundayEvening)?.date).toBe('2026-11-27');
    expect(latestFireTime(WEEKLY, nyseCalendar, sundayEvening)).toEqual({
      job: 'weekly_cleanup',
      date: '2026-11-29',
      at: new Date('2026-11-29T08:00:00Z'),
    });
    expect(latestFireTime(WEEKLY, nyseCalendar, new Date('2026-11-29T07:59:00Z'))?.date).toBe('2026-11-22');
  });

  it('null before the calendar has any run', () => {
    // 2000-01-03 00:00 New York: the first trading day of the calendar, before its 03:00.
    expect(latestFireTime(NEW_DAY, nyseCalendar, new Date('2000-01-03T05:00:00Z'))).toBeNull();
    expect(lastFireTimes(NEW_DAY, nyseCalendar, new Date('2000-01-05T09:00:00Z'), 5).map((f) => f.date)).toEqual([
      '2000-01-03',
      '2000-01-04',
      '2000-01-05',
    ]);
  });
});

describe('lastFireTimes', () => {
  it('the last N runs, oldest first, across a holiday', () => {
    expect(pairs(lastFireTimes(DAILY, nyseCalendar, new Date('2026-11-30T12:00:00Z'), 4))).toEqual([
      utc('2026-11-23', '22:00'),
      utc('2026-11-24', '22:00'),
      utc('2026-11-25', '22:00'),
      utc('2026-11-27', '22:00'),
    ]);
  });
});

describe('scheduledInstant', () => {
  it('maps a wall time to its instant, moving a gap time past the gap', () => {
    expect(scheduledInstant('2026-03-08', 120).toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(scheduledInstant('2026-03-08', 179).toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(scheduledInstant('2026-03-08', 180).toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(scheduledInstant('2026-03-08', 119).toISOString()).toBe('2026-03-08T06:59:00.000Z');
    expect(scheduledInstant('2026-11-01', 60).toISOString()).toBe('2026-11-01T05:00:00.000Z');
  });
});
