import { describe, expect, it } from 'vitest';
import { nyseCalendar } from '@scanner/market-calendar';
import { CoreError } from './core-error.js';
import { type ExpectedRun, expectedRuns, missingRuns, runKey } from './expected-runs.js';
import { type JobSchedule, jobSchedules } from './job-schedule.js';

// The defaults: new day 03:00 and daily 17:00 on trading days, weekly cleanup Sunday 03:00.
const SCHEDULES = jobSchedules({ newDayMinute: 180, dailyMinute: 1020, weeklyCleanup: { weekday: 0, minute: 180 } });

/** "job date instant" lines: the expectations below are written out by hand. */
const lines = (runs: readonly ExpectedRun[]) => runs.map((r) => `${r.job} ${r.date} ${r.dueAt.toISOString()}`);

describe('expectedRuns', () => {
  it('Monday 02:30, before the announcement: Friday is still the announced day', () => {
    const now = new Date('2026-11-23T07:30:00Z');
    expect(lines(expectedRuns(SCHEDULES, nyseCalendar, now, 3))).toEqual([
      'daily_maintenance 2026-11-18 2026-11-18T22:00:00.000Z',
      'daily_maintenance 2026-11-19 2026-11-19T22:00:00.000Z',
      'new_day 2026-11-20 2026-11-20T08:00:00.000Z',
      'daily_maintenance 2026-11-20 2026-11-20T22:00:00.000Z',
      'weekly_cleanup 2026-11-22 2026-11-22T08:00:00.000Z',
    ]);
  });

  it('Monday 03:00: the new day is that Monday', () => {
    const runs = expectedRuns(SCHEDULES, nyseCalendar, new Date('2026-11-23T08:00:00Z'), 1);
    expect(lines(runs)).toEqual([
      'daily_maintenance 2026-11-20 2026-11-20T22:00:00.000Z',
      'weekly_cleanup 2026-11-22 2026-11-22T08:00:00.000Z',
      'new_day 2026-11-23 2026-11-23T08:00:00.000Z',
    ]);
  });

  it('a Saturday: Friday announced and run, the cleanup of the Sunday before', () => {
    const now = new Date('2026-11-21T17:00:00Z');
    expect(lines(expectedRuns(SCHEDULES, nyseCalendar, now, 2))).toEqual([
      'weekly_cleanup 2026-11-15 2026-11-15T08:00:00.000Z',
      'daily_maintenance 2026-11-19 2026-11-19T22:00:00.000Z',
      'new_day 2026-11-20 2026-11-20T08:00:00.000Z',
      'daily_maintenance 2026-11-20 2026-11-20T22:00:00.000Z',
    ]);
  });

  it('Thanksgiving noon: nothing for the holiday itself', () => {
    const now = new Date('2026-11-26T17:00:00Z');
    expect(lines(expectedRuns(SCHEDULES, nyseCalendar, now, 3))).toEqual([
      'weekly_cleanup 2026-11-22 2026-11-22T08:00:00.000Z',
      'daily_maintenance 2026-11-23 2026-11-23T22:00:00.000Z',
      'daily_maintenance 2026-11-24 2026-11-24T22:00:00.000Z',
      'new_day 2026-11-25 2026-11-25T08:00:00.000Z',
      'daily_maintenance 2026-11-25 2026-11-25T22:00:00.000Z',
    ]);
  });

  it('the early-close Friday: its cycle is due from 17:00, not from the 13:00 close', () => {
    const before = expectedRuns(SCHEDULES, nyseCalendar, new Date('2026-11-27T21:59:00Z'), 2);
    expect(lines(before.filter((r) => r.job === 'daily_maintenance'))).toEqual([
      'daily_maintenance 2026-11-24 2026-11-24T22:00:00.000Z',
      'daily_maintenance 2026-11-25 2026-11-25T22:00:00.000Z',
    ]);
    const after = expectedRuns(SCHEDULES, nyseCalendar, new Date('2026-11-27T22:30:00Z'), 2);
    expect(lines(after)).toEqual([
      'weekly_cleanup 2026-11-22 2026-11-22T08:00:00.000Z',
      'daily_maintenance 2026-11-25 2026-11-25T22:00:00.000Z',
      'new_day 2026-11-27 2026-11-27T08:00:00.000Z',
      'daily_maintenance 2026-11-27 2026-11-27T22:00:00.000Z',
    ]);
  });

  it('the lookback counts sessions, not calendar days: 10 sessions reach back 17 days over two weekends and a holiday', () => {
    const runs = expectedRuns(SCHEDULES, nyseCalendar, new Date('2026-11-30T17:00:00Z'), 10);
    expect(runs.filter((r) => r.job === 'daily_maintenance').map((r) => r.date)).toEqual([
      '2026-11-13',
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-27',
    ]);
    // Only the latest new day and the latest cleanup, whatever the lookback.
    expect(runs.filter((r) => r.job !== 'daily_maintenance').map((r) => `${r.job} ${r.date}`)).toEqual([
      'weekly_cleanup 2026-11-29',
      'new_day 2026-11-30',
    ]);
  });

  it('across the spring-forward weekend: each run at its own offset', () => {
    const runs = expectedRuns(SCHEDULES, nyseCalendar, new Date('2026-03-09T07:00:00Z'), 1);
    expect(lines(runs)).toEqual([
      'daily_maintenance 2026-03-06 2026-03-06T22:00:00.000Z',
      'weekly_cleanup 2026-03-08 2026-03-08T07:00:00.000Z',
      'new_day 2026-03-09 2026-03-09T07:00:00.000Z',
    ]);
  });

  it('runs due at the same instant come in JOB_NAMES order, whatever the order of the schedules', () => {
    const fridayAt = (minuteOfDay: number): JobSchedule => ({ job: 'weekly_cleanup', minuteOfDay, days: { weekday: 5 } });
    const schedules: JobSchedule[] = [
      fridayAt(180),
      { job: 'daily_maintenance', minuteOfDay: 180, days: 'trading_days' },
      { job: 'new_day', minuteOfDay: 180, days: 'trading_days' },
    ];
    expect(expectedRuns(schedules, nyseCalendar, new Date('2026-11-20T09:00:00Z'), 1).map((r) => r.job)).toEqual([
      'new_day',
      'daily_maintenance',
      'weekly_cleanup',
    ]);
  });

  it('sessions 0: no cycles; a bad lookback is refused', () => {
    const runs = expectedRuns(SCHEDULES, nyseCalendar, new Date('2026-11-21T17:00:00Z'), 0);
    expect(runs.map((r) => r.job)).toEqual(['weekly_cleanup', 'new_day']);
    expect(() => expectedRuns(SCHEDULES, nyseCalendar, new Date('2026-11-21T17:00:00Z'), -1)).toThrow(CoreError);
  });
});

describe('runKey and missingRuns', () => {
  it('names a run by job and date', () => {
    expect(runKey('daily_maintenance', '2026-11-20')).toBe('daily_maintenance:2026-11-20');
  });

  it('keeps the runs the ledgers do not have, oldest first', () => {
    const expected = expectedRuns(SCHEDULES, nyseCalendar, new Date('2026-11-23T07:30:00Z'), 5);
    const done = new Set([
      runKey('daily_maintenance', '2026-11-16'),
      runKey('daily_maintenance', '2026-11-18'),
      runKey('daily_maintenance', '2026-11-20'),
      runKey('new_day', '2026-11-20'),
      runKey('weekly_cleanup', '2026-11-22'),
      // Another job's run of a date does not stand in for this one.
      runKey('new_day', '2026-11-19'),
    ]);
    expect(lines(missingRuns(expected, done))).toEqual([
      'daily_maintenance 2026-11-17 2026-11-17T22:00:00.000Z',
      'daily_maintenance 2026-11-19 2026-11-19T22:00:00.000Z',
    ]);
  });

  it('sorts what it is given: oldest first, ties in JOB_NAMES order', () => {
    const run = (job: ExpectedRun['job'], date: string, dueAt: string): ExpectedRun => ({ job, date, dueAt: new Date(dueAt) });
    const shuffled = [
      run('weekly_cleanup', '2026-11-22', '2026-11-22T08:00:00Z'),
      run('daily_maintenance', '2026-11-20', '2026-11-20T22:00:00Z'),
      run('new_day', '2026-11-22', '2026-11-22T08:00:00Z'),
      run('daily_maintenance', '2026-11-19', '2026-11-19T22:00:00Z'),
    ];
    expect(missingRuns(shuffled, new Set()).map((r) => `${r.job} ${r.date}`)).toEqual([
      'daily_maintenance 2026-11-19',
      'daily_maintenance 2026-11-20',
      'new_day 2026-11-22',
      'weekly_cleanup 2026-11-22',
    ]);
    expect(missingRuns(shuffled, new Set(shuffled.map((r) => runKey(r.job, r.date))))).toEqual([]);
  });
});
