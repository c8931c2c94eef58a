import type { IsoDate } from '@scanner/market-calendar';
import type { CycleDeps } from '../../cycle/run-cycle.js';
import { cleanupOldData } from '../../tasks/cleanup-old-data.js';
import type { CliOutput } from '../cli-output.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { withRunnerLock } from './with-runner-lock.js';

/** `cleanup [--date D]`: the weekly partition cleanup, as of D (default today in New York). */
export async function cleanupCommand(deps: CycleDeps, command: { readonly date: IsoDate }, out: CliOutput): Promise<ExitCode> {
  const result = await withRunnerLock(deps, () => cleanupOldData(deps, command.date));
  deps.logger.info({ event: 'cleanup_completed', counts: result.counts, cutoff: result.details['cutoff'] }, 'weekly cleanup done');
  out.json({ task: 'cleanup_old_data', date: command.date, ...result });
  return result.status === 'completed' ? EXIT.OK : EXIT.FAILED;
}
