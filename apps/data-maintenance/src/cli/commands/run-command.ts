import type { IsoDate } from '@scanner/market-calendar';
import type { MaintenanceTaskName } from '@scanner/shared-types';
import { type CycleDeps, runCycle } from '../../cycle/run-cycle.js';
import { RunStoppedError } from '../../cycle/run-lease.js';
import type { CliOutput } from '../cli-output.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { outcomeSummary } from './outcome-summary.js';
import { withRunnerLock } from '../../cycle/with-runner-lock.js';

/**
 * `run --date D [--tasks a,b]`: one cycle; exit 1 when a task of it did not complete. A run that lost the
 * runner lock prints its summary and then throws, so the command fails with the lock's code on stderr.
 */
export async function runCommand(
  deps: CycleDeps,
  command: { readonly date: IsoDate; readonly tasks: readonly MaintenanceTaskName[] | null },
  out: CliOutput,
): Promise<ExitCode> {
  const outcome = await withRunnerLock(deps, (lease) => runCycle(deps, { date: command.date, tasks: command.tasks, trigger: 'cli', lease }));
  out.json(outcomeSummary(outcome));
  if (outcome.stopped) throw new RunStoppedError(outcome.stopped, `run ${outcome.runId} of ${outcome.date}`);
  return outcome.succeeded ? EXIT.OK : EXIT.FAILED;
}
