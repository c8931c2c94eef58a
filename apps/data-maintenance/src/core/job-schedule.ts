import {
  CalendarError,
  type IsoDate,
  type TradingCalendar,
  addCalendarDays,
  newYorkDateOf,
  newYorkInstant,
  weekdayOfDate,
} from '@scanner/market-calendar';
import type { ScheduleConfig } from '../config.js';
import { CoreError } from './core-error.js';
import type { JobName } from './job-names.js';

/** When a job runs: a New York wall time, on every trading day or on one weekday (0 = Sunday). */
export interface JobSchedule {
  readonly job: JobName;
  /** Minutes after New York midnight. */
  readonly minuteOfDay: number;
  readonly days: 'trading_days' | { readonly weekday: number };
}

/** One run of a schedule: `date` is the New York date of `at`. */
export interface FireTime {
  readonly job: JobName;
  readonly date: IsoDate;
  readonly at: Date;
}

const MINUTES_PER_DAY = 24 * 60;

/** The service's three schedules (DESIGN 5.1), in JOB_NAMES order. */
export function jobSchedules(config: ScheduleConfig): readonly JobSchedule[] {
  return [
    { job: 'new_day', minuteOfDay: config.newDayMinute, days: 'trading_days' },
    { job: 'daily_maintenance', minuteOfDay: config.dailyMinute, days: 'trading_days' },
    { job: 'weekly_cleanup', minuteOfDay: config.weeklyCleanup.minute, days: { weekday: config.weeklyCleanup.weekday } },
  ];
}

/**
 * The instant a schedule's wall time falls on `date`. A wall time that happens twice (the November
 * switch) is its first occurrence, as `newYorkInstant` resolves it; one that does not exist (inside
 * the March spring-forward gap) moves to the first minute after the gap, so the job still runs that day.
 */
export function scheduledInstant(date: IsoDate, minuteOfDay: number): Date {
  checkMinuteOfDay(minuteOfDay);
  for (let minute = minuteOfDay; minute < MINUTES_PER_DAY; minute++) {
    try {
      return newYorkInstant(date, Math.floor(minute / 60), minute % 60);
    } catch (error) {
      if (!(error instanceof CalendarError && error.code === 'INVALID_TIME')) throw error;
    }
  }
  throw new CoreError('INVALID_ARGUMENT', `no New York wall time at or after minute ${minuteOfDay} exists on ${date}`);
}

/** Whether the schedule runs on `date` at all (a trading day, or its weekday). */
export function runsOn(schedule: JobSchedule, calendar: TradingCalendar, date: IsoDate): boolean {
  return schedule.days === 'trading_days' ? calendar.isTradingDay(date) : weekdayOfDate(date) === schedule.days.weekday;
}

/** The next `count` runs strictly after `after`, oldest first. */
export function nextFireTimes(schedule: JobSchedule, calendar: TradingCalendar, after: Date, count: number): FireTime[] {
  checkSchedule(schedule);
  checkCount(count, 'count');
  const out: FireTime[] = [];
  if (count === 0) return out;
  let date = runDayOnOrAfter(schedule, calendar, newYorkDateOf(after));
  while (out.length < count) {
    const at = scheduledInstant(date, schedule.minuteOfDay);
    if (at.getTime() > after.getTime()) out.push({ job: schedule.job, date, at });
    date = runDayOnOrAfter(schedule, calendar, addCalendarDays(date, 1));
  }
  return out;
}

/** The latest run at or before `atOrBefore`; null when there is none inside the calendar's years. */
export function latestFireTime(schedule: JobSchedule, calendar: TradingCalendar, atOrBefore: Date): FireTime | null {
  return lastFireTimes(schedule, calendar, atOrBefore, 1)[0] ?? null;
}

/** The last `count` runs at or before `atOrBefore`, oldest first; fewer at the calendar's first year. */
export function lastFireTimes(schedule: JobSchedule, calendar: TradingCalendar, atOrBefore: Date, count: number): FireTime[] {
  checkSchedule(schedule);
  checkCount(count, 'count');
  const out: FireTime[] = [];
  try {
    let date = runDayOnOrBefore(schedule, calendar, newYorkDateOf(atOrBefore));
    while (out.length < count) {
      const at = scheduledInstant(date, schedule.minuteOfDay);
      if (at.getTime() <= atOrBefore.getTime()) out.push({ job: schedule.job, date, at });
      date = runDayOnOrBefore(schedule, calendar, addCalendarDays(date, -1));
    }
  } catch (error) {
    // Walking back past the calendar's first supported year: there are no earlier runs.
    if (!(error instanceof CalendarError && error.code === 'OUT_OF_RANGE')) throw error;
  }
  return out.reverse();
}

function runDayOnOrAfter(schedule: JobSchedule, calendar: TradingCalendar, date: IsoDate): IsoDate {
  if (schedule.days === 'trading_days') return calendar.tradingDayOnOrAfter(date);
  return addCalendarDays(date, (schedule.days.weekday - weekdayOfDate(date) + 7) % 7);
}

function runDayOnOrBefore(schedule: JobSchedule, calendar: TradingCalendar, date: IsoDate): IsoDate {
  if (schedule.days === 'trading_days') return calendar.tradingDayOnOrBefore(date);
  return addCalendarDays(date, -((weekdayOfDate(date) - schedule.days.weekday + 7) % 7));
}

function checkSchedule(schedule: JobSchedule): void {
  checkMinuteOfDay(schedule.minuteOfDay);
  if (schedule.days !== 'trading_days') {
    const { weekday } = schedule.days;
    if (!Number.isInteger(weekday) || weekday < 0 || weekday > 6) {
      throw new CoreError('INVALID_ARGUMENT', `${schedule.job}: weekday must be 0 (Sunday) to 6, got ${weekday}`);
    }
  }
}

function checkMinuteOfDay(minuteOfDay: number): void {
  if (!Number.isInteger(minuteOfDay) || minuteOfDay < 0 || minuteOfDay >= MINUTES_PER_DAY) {
    throw new CoreError('INVALID_ARGUMENT', `minute of day must be an integer 0-${MINUTES_PER_DAY - 1}, got ${minuteOfDay}`);
  }
}

export function checkCount(count: number, what: string): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new CoreError('INVALID_ARGUMENT', `${what} must be an integer >= 0, got ${count}`);
  }
}
