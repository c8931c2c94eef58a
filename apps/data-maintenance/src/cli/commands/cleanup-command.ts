import type { IsoDate } from '@scanner/market-calendar';
import type { CycleDeps } from '../../cycle/run-cycle.js';
import { RunStoppedError, leaseStop } from '../../cycle/run-lease.js';
import { withRunnerLock } from '../../cycle/with-runner-lock.js';
import { runWeeklyCleanupJob } from '../../service/weekly-cleanup-job.js';
import type { CliOutput } from '../cli-output.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

/**
 * `cleanup [--date D]`: the weekly partition cleanup, as of D (default today in New York), recorded in
 * the job ledger as the service records its own. One task, so there is nothing after it to hold back; a
 * lease lost meanwhile still fails the command, since another runner may have written while it ran.
 */
export async function cleanupCommand(deps: CycleDeps, command: { readonly date: IsoDate }, out: CliOutput): Promise<ExitCode> {
  const { outcome, stop } = await withRunnerLock(deps, async (lease) => {
    const done = await runWeeklyCleanupJob(deps, { date: command.date, trigger: 'cli' });
    return { outcome: done, stop: await leaseStop(lease) };
  });
  const { result } = outcome;
  deps.logger.info({ event: 'cleanup_completed', counts: result.counts, cutoff: result.details['cutoff'], job_run_id: outcome.jobRunId }, 'weekly cleanup done');
  out.json({ task: 'cleanup_old_data', date: command.date, job_run_id: outcome.jobRunId, ...result, ...(stop ? { error_code: stop.code, error: stop.message } : {}) });
  if (stop) throw new RunStoppedError(stop, `cleanup as of ${command.date}`);
  return result.status === 'completed' ? EXIT.OK : EXIT.FAILED;
}
