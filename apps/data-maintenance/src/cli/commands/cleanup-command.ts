import type { IsoDate } from '@scanner/market-calendar';
import type { CycleDeps } from '../../cycle/run-cycle.js';
import { RunStoppedError, leaseStop } from '../../cycle/run-lease.js';
import { cleanupOldData } from '../../tasks/cleanup-old-data.js';
import type { CliOutput } from '../cli-output.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { withRunnerLock } from './with-runner-lock.js';

/**
 * `cleanup [--date D]`: the weekly partition cleanup, as of D (default today in New York). One task, so
 * there is nothing after it to hold back; a lease lost meanwhile still fails the command, since another
 * runner may have written while it ran.
 */
export async function cleanupCommand(deps: CycleDeps, command: { readonly date: IsoDate }, out: CliOutput): Promise<ExitCode> {
  const { result, stop } = await withRunnerLock(deps, async (lease) => {
    const done = await cleanupOldData(deps, command.date);
    return { result: done, stop: await leaseStop(lease) };
  });
  deps.logger.info({ event: 'cleanup_completed', counts: result.counts, cutoff: result.details['cutoff'] }, 'weekly cleanup done');
  out.json({ task: 'cleanup_old_data', date: command.date, ...result, ...(stop ? { error_code: stop.code, error: stop.message } : {}) });
  if (stop) throw new RunStoppedError(stop, `cleanup as of ${command.date}`);
  return result.status === 'completed' ? EXIT.OK : EXIT.FAILED;
}
