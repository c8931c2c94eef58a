import type { IsoDate, TradingCalendar } from '@scanner/market-calendar';
import { type Result, err, ok } from '@scanner/shared-types';
import { announcedTradingDay } from '../../core/announced-trading-day.js';
import { withRunnerLock } from '../../cycle/with-runner-lock.js';
import { interruptRunningJobs } from '../../db/job-runs.js';
import { type NewDayJobDeps, type NewDayOutcome, newDayDateProblem, runNewDayJob } from '../../jobs/new-day-job.js';
import type { CliUsageError } from '../cli-command.js';
import type { CliOutput } from '../cli-output.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

/**
 * The date `new-day [--date D]` announces: D, or the day to announce now by default. Checked before
 * anything connects, so a past or future day exits 2 having done nothing (the job checks it again).
 */
export function newDayDate(
  requested: IsoDate | null,
  context: { readonly calendar: TradingCalendar; readonly now: Date; readonly newDayMinute: number },
): Result<IsoDate, CliUsageError> {
  const date = requested ?? announcedTradingDay(context.calendar, context.now, context.newDayMinute);
  const problem = newDayDateProblem(context.calendar, context.now, context.newDayMinute, date);
  return problem === null ? ok(date) : err({ code: problem.code, message: problem.message });
}

/**
 * `new-day`: the new-day job under the new-day lock (not the data lock, which a long cycle may hold).
 * Exit 0 also when the day had already been announced (`published: false`): the day is current either
 * way. A lock held by another announcer is LOCK_HELD (exit 1, from the caller).
 */
export async function newDayCommand(deps: NewDayJobDeps, options: { readonly date: IsoDate; readonly leaseMs: number }, out: CliOutput): Promise<ExitCode> {
  const outcome = await withRunnerLock(deps, () => runNewDayJob(deps, { date: options.date, trigger: 'cli' }), {
    lockKey: deps.keys.maintenanceNewDayLock,
    leaseMs: options.leaseMs,
    markInterrupted: async (at) => ({ job_runs: await interruptRunningJobs(deps.pool, at, ['new_day']) }),
  });
  out.json(newDaySummary(outcome));
  return EXIT.OK;
}

/** The JSON line `new-day` prints. */
export function newDaySummary(outcome: NewDayOutcome): Record<string, unknown> {
  return {
    date: outcome.date,
    status: 'completed',
    job_run_id: outcome.jobRunId,
    published: outcome.published,
    previous_day: outcome.previousDay,
    receivers: outcome.receivers,
    keys_deleted: outcome.keysDeleted,
    websocket: outcome.websocket,
  };
}
