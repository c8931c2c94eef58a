import cliProgress from 'cli-progress';
import type { IsoDate } from '@scanner/market-calendar';
import { MAINTENANCE_TASKS, type MaintenanceTaskName } from '@scanner/shared-types';
import { datesFullyCompleted } from '../../db/run-ledger.js';
import { type CycleDeps, runCycle } from '../../cycle/run-cycle.js';
import { type RunStop, RunStoppedError, leaseStop } from '../../cycle/run-lease.js';
import type { CliOutput } from '../cli-output.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { outcomeSummary } from './outcome-summary.js';
import { withRunnerLock } from '../../cycle/with-runner-lock.js';

export interface BackfillRequest {
  readonly dates: readonly IsoDate[];
  readonly tasks: readonly MaintenanceTaskName[] | null;
  readonly force: boolean;
  readonly continueOnError: boolean;
}

/**
 * `backfill`: the cycle for each trading day of the range, oldest first (ATR and RVOL of a day read the
 * days before it). Dates whose tasks all completed are skipped, so an interrupted backfill is simply
 * run again. Stops at the first failed date unless asked to go on. A progress bar on a terminal, one
 * JSON line per date otherwise, and a summary line at the end. Losing the runner lock stops it before
 * the next date (and the cycle before its next task); the summary says so and the command fails.
 */
export async function backfillCommand(deps: CycleDeps, request: BackfillRequest, out: CliOutput): Promise<ExitCode> {
  return withRunnerLock(deps, async (lease) => {
    const tasks = request.tasks ?? MAINTENANCE_TASKS;
    const done = request.force ? new Set<IsoDate>() : await datesFullyCompleted(deps.pool, request.dates, tasks);
    const bar = out.isTty
      ? new cliProgress.SingleBar(
          { stream: out.terminal, format: 'backfill [{bar}] {value}/{total} dates | {date} | failed: {failed}', hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
    bar?.start(request.dates.length, 0, { date: '', failed: 0 });
    const counts = { completed: 0, failed: 0, already_completed: 0, not_run: 0 };
    const failedDates: IsoDate[] = [];
    let stopped: RunStop | null = null;
    try {
      for (const [i, date] of request.dates.entries()) {
        if (failedDates.length > 0 && !request.continueOnError) {
          counts.not_run = request.dates.length - i;
          break;
        }
        if (done.has(date)) {
          counts.already_completed += 1;
          if (!bar) out.json({ date, status: 'already_completed' });
        } else {
          // Checked here too, so a date is not even opened in the ledger once the lease is gone.
          stopped = await leaseStop(lease);
          if (stopped) {
            counts.not_run = request.dates.length - i;
            break;
          }
          const outcome = await runCycle(deps, { date, tasks: request.tasks, trigger: 'backfill', lease });
          if (outcome.succeeded) counts.completed += 1;
          else {
            counts.failed += 1;
            failedDates.push(date);
          }
          if (!bar) out.json(outcomeSummary(outcome));
          if (outcome.stopped) {
            stopped = outcome.stopped;
            counts.not_run = request.dates.length - i - 1;
            break;
          }
        }
        bar?.update(i + 1, { date, failed: counts.failed });
      }
    } finally {
      bar?.stop();
    }
    out.json({
      backfill: stopped ? 'stopped' : failedDates.length === 0 ? 'completed' : 'failed',
      ...(stopped ? { error_code: stopped.code, error: stopped.message } : {}),
      from: request.dates[0],
      to: request.dates[request.dates.length - 1],
      dates: request.dates.length,
      ...counts,
      failed_dates: failedDates,
    });
    if (stopped) throw new RunStoppedError(stopped, `backfill ${request.dates[0]}..${request.dates[request.dates.length - 1]}`);
    return failedDates.length === 0 ? EXIT.OK : EXIT.FAILED;
  });
}
