import type { IsoDate, TradingCalendar } from '@scanner/market-calendar';
import { announcedTradingDay } from './announced-trading-day.js';
import { JOB_NAMES, type JobName } from './job-names.js';
import { type JobSchedule, checkCount, lastFireTimes, scheduledInstant } from './job-schedule.js';

/** A run the schedules say should have happened by now; catch-up compares these with the ledgers. */
export interface ExpectedRun {
  readonly job: JobName;
  readonly date: IsoDate;
  readonly dueAt: Date;
}

/**
 * The runs due at `now`, oldest first (ties in JOB_NAMES order):
 * - daily_maintenance for each of the last `sessions` trading sessions whose run time has passed;
 * - new_day only for the announced trading day: a past day's announcement is never made late;
 * - weekly_cleanup only for the latest due one: each run covers everything older.
 */
export function expectedRuns(schedules: readonly JobSchedule[], calendar: TradingCalendar, now: Date, sessions: number): ExpectedRun[] {
  checkCount(sessions, 'sessions');
  const runs = schedules.flatMap((schedule) => expectedOf(schedule, calendar, now, sessions));
  return sortRuns(runs);
}

function expectedOf(schedule: JobSchedule, calendar: TradingCalendar, now: Date, sessions: number): ExpectedRun[] {
  switch (schedule.job) {
    case 'new_day': {
      const date = announcedTradingDay(calendar, now, schedule.minuteOfDay);
      return [{ job: schedule.job, date, dueAt: scheduledInstant(date, schedule.minuteOfDay) }];
    }
    case 'daily_maintenance':
      return lastFireTimes(schedule, calendar, now, sessions).map(asRun);
    case 'weekly_cleanup':
      return lastFireTimes(schedule, calendar, now, 1).map(asRun);
  }
}

function asRun(fire: { job: JobName; date: IsoDate; at: Date }): ExpectedRun {
  return { job: fire.job, date: fire.date, dueAt: fire.at };
}

/** The identity of a run in the ledgers' terms: one run per job and date. */
export function runKey(job: JobName, date: IsoDate): string {
  return `${job}:${date}`;
}

/** The expected runs whose `runKey` is not in `done`, oldest first. */
export function missingRuns(expected: readonly ExpectedRun[], done: ReadonlySet<string>): ExpectedRun[] {
  return sortRuns(expected.filter((run) => !done.has(runKey(run.job, run.date))));
}

function sortRuns(runs: ExpectedRun[]): ExpectedRun[] {
  return runs.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || JOB_NAMES.indexOf(a.job) - JOB_NAMES.indexOf(b.job));
}
