import schedule, { type Job, type RecurrenceRule } from 'node-schedule';
import type { Logger } from 'pino';
import { type Clock, type IsoDate, MARKET_TIME_ZONE, type TradingCalendar, newYorkDateOf } from '@scanner/market-calendar';
import type { JobName } from '../core/job-names.js';
import { type FireTime, type JobSchedule, nextFireTimes, runsOn, scheduledInstant } from '../core/job-schedule.js';
import { errorInfo } from '../tasks/task-result.js';

/** A scheduled run that is due now: `date` is the New York date it runs for. */
export interface JobFire {
  readonly job: JobName;
  readonly date: IsoDate;
  readonly scheduledAt: Date;
}

export interface JobScheduler {
  /** The next run of each job after the clock's now, in schedule order (for /status). */
  next(): FireTime[];
  /** Cancels every node-schedule job: nothing fires after it. */
  stop(): void;
}

export interface JobSchedulerOptions {
  readonly schedules: readonly JobSchedule[];
  readonly calendar: TradingCalendar;
  /** Only for `next()`: node-schedule's timers run on the system clock. */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called on a fire on a day the job runs; must not block (the service queues the run). */
  readonly onFire: (fire: JobFire) => void;
}

export class JobSchedulerError extends Error {
  readonly code = 'SCHEDULE_NOT_STARTED';
  override readonly name = 'JobSchedulerError';
}

/**
 * New York's clocks spring forward from 02:00 to 03:00, and node-schedule skips a wall time that does
 * not exist that day. A rule in that hour therefore also matches 03:00, where `scheduledInstant` puts
 * the switch day's run; the handler keeps only the scheduled instant, so other days are unaffected.
 */
const SPRING_FORWARD_HOUR = 2;

/**
 * Runs each schedule through node-schedule in America/New_York: a daily rule for trading-day jobs (the
 * calendar is checked when it fires) and a weekly one for the cleanup.
 */
export function startJobScheduler(options: JobSchedulerOptions): JobScheduler {
  const { schedules, calendar, clock, logger } = options;
  // Refuses a bad schedule (CoreError INVALID_ARGUMENT) before anything is registered.
  const next = (): FireTime[] => schedules.flatMap((s) => nextFireTimes(s, calendar, clock.now(), 1));
  const upcoming = next();

  let stopped = false;
  const jobs: Job[] = [];
  for (const s of schedules) {
    const onFire = createFireHandler({ schedule: s, calendar, logger, onFire: options.onFire, isStopped: () => stopped });
    // The rule carries tz America/New_York (the `{ rule, tz }` spec's typings only take a cron string).
    const job = schedule.scheduleJob(recurrenceRuleOf(s), onFire);
    if (job === null) {
      for (const started of jobs) started.cancel();
      throw new JobSchedulerError(`node-schedule did not accept the ${s.job} schedule (minute ${s.minuteOfDay})`);
    }
    jobs.push(job);
  }
  logger.info(
    { event: 'job_scheduler_started', next: upcoming.map((f) => ({ job: f.job, date: f.date, at: f.at.toISOString() })) },
    'job schedules started',
  );

  return {
    next,
    stop() {
      if (stopped) return;
      stopped = true;
      for (const job of jobs) job.cancel();
      logger.info({ event: 'job_scheduler_stopped' }, 'job schedules stopped');
    },
  };
}

/** @internal The node-schedule rule of a schedule; exported for the tests that compare it with the pure schedule. */
export function recurrenceRuleOf(s: JobSchedule): RecurrenceRule {
  const rule = new schedule.RecurrenceRule();
  const hour = Math.floor(s.minuteOfDay / 60);
  const minute = s.minuteOfDay % 60;
  rule.hour = hour === SPRING_FORWARD_HOUR ? [hour, hour + 1] : hour;
  rule.minute = hour === SPRING_FORWARD_HOUR && minute !== 0 ? [0, minute] : minute;
  rule.second = 0;
  rule.tz = MARKET_TIME_ZONE;
  if (s.days !== 'trading_days') rule.dayOfWeek = s.days.weekday;
  return rule;
}

/**
 * @internal What one node-schedule fire does; exported so tests can fire it at any instant. A fire that
 * is not the schedule's instant for its New York date (the second pass of a repeated hour, the 03:00
 * stand-in of a gap hour on an ordinary day) is ignored; a trading-day job on a closed day is skipped.
 */
export function createFireHandler(options: {
  readonly schedule: JobSchedule;
  readonly calendar: TradingCalendar;
  readonly logger: Logger;
  readonly onFire: (fire: JobFire) => void;
  readonly isStopped?: () => boolean;
}): (fireDate: Date) => void {
  const { schedule: s, calendar, logger } = options;
  return (fireDate) => {
    if (options.isStopped?.()) return;
    const date = newYorkDateOf(fireDate);
    const scheduledAt = scheduledInstant(date, s.minuteOfDay);
    const fields = { job: s.job, date, scheduled_at: scheduledAt.toISOString() };
    if (scheduledAt.getTime() !== fireDate.getTime() || (s.days !== 'trading_days' && !runsOn(s, calendar, date))) {
      logger.debug({ event: 'job_fire_ignored', ...fields, fired_at: fireDate.toISOString() }, 'not a scheduled instant of this job');
      return;
    }
    if (!runsOn(s, calendar, date)) {
      const closure = calendar.describe(date).closure;
      logger.info(
        { event: 'job_skipped_market_closed', ...fields, reason: closure?.reason ?? null, closure: closure?.kind ?? null },
        'market closed: the scheduled job does not run',
      );
      return;
    }
    logger.info({ event: 'job_fired', ...fields }, 'scheduled job due');
    try {
      // A promise-returning callback still satisfies the `void` type; its rejection must not go unhandled.
      const result: unknown = options.onFire({ job: s.job, date, scheduledAt });
      if (result instanceof Promise) result.catch((error: unknown) => logFireFailed(logger, fields, error));
    } catch (error) {
      logFireFailed(logger, fields, error);
    }
  };
}

// node-schedule re-emits a thrown error as the job's 'error' event, which would crash the process.
function logFireFailed(logger: Logger, fields: Record<string, string>, error: unknown): void {
  logger.error({ event: 'job_fire_failed', ...fields, ...errorInfo(error) }, 'the scheduled job could not be started');
}
