import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock, TradingCalendar } from '@scanner/market-calendar';
import { runMaintenanceCli } from '../adapters/app-commands.js';
import { describeExit } from '../adapters/child-process.js';
import type { StackLog } from '../log/stack-log.js';
import { type BootstrapDecision, bootstrapWindow, decideBootstrap } from '../plan/bootstrap-plan.js';
import { cliErrorCode, parseBackfillDateLine, parseBackfillSummary, parseStatusOutput } from '../plan/maintenance-output.js';
import { StackError } from '../stack-error.js';

/**
 * Migrations, then history: `maintenance migrate`, `maintenance status --date <last closed session>`
 * to ask the ledger whether the history is there, and `maintenance backfill` when it is not.
 */

/** A runner that died (an earlier start stopped mid-backfill) holds the lock until its lease lapses (60 s). */
const LOCK_RETRY_MS = 5000;
const LOCK_WAIT_LIMIT_MS = 90_000;

export interface PrepareOptions {
  readonly repoRoot: string;
  readonly env: Readonly<Record<string, string>>;
  readonly log: StackLog;
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly calendar: TradingCalendar;
  readonly sessions: number;
  /** For the log: where the history lives. */
  readonly where: string;
  readonly source: string;
}

export async function prepareDatabase(options: PrepareOptions): Promise<BootstrapDecision> {
  const { log } = options;
  const cli = (args: readonly string[], onStdoutLine?: (line: string) => void) =>
    runMaintenanceCli({ repoRoot: options.repoRoot, args, env: options.env, log, signal: options.signal, ...(onStdoutLine ? { onStdoutLine } : {}) });

  log.stack(`migrations: maintenance migrate (${options.where})`);
  const migrate = await cli(['migrate']);
  if (migrate.exit.code !== 0) {
    throw new StackError('MIGRATE_FAILED', `maintenance migrate ${describeExit(migrate.exit)} on ${options.where} (see the [maintenance] lines above).`);
  }

  const window = bootstrapWindow(options.calendar, options.clock.now(), options.sessions);
  const status = await cli(['status', '--date', window.to]);
  if (status.exit.code !== 0) {
    throw new StackError('BOOTSTRAP_FAILED', `maintenance status ${describeExit(status.exit)} (see the [maintenance] lines above).`);
  }
  const decision = decideBootstrap(window, readOutput(() => parseStatusOutput(status.stdout)));
  if (decision.action === 'reuse') {
    log.stack(`history: reusing the data in ${options.where} (${decision.reason}); no bootstrap`);
    return decision;
  }

  log.stack(
    `history: bootstrapping (${decision.reason}): ${window.sessions} sessions ${window.from} .. ${window.to} from the ${options.source} data source; sessions already loaded are skipped`,
  );
  const deadline = Date.now() + LOCK_WAIT_LIMIT_MS;
  for (;;) {
    let done = 0;
    const backfill = await cli(['backfill', '--from', window.from, '--to', window.to], (line) => {
      const date = parseBackfillDateLine(line);
      if (date === null) return;
      done += 1;
      log.child('bootstrap', `${date.date} ${date.status} (${done}/${window.sessions})`);
    });
    if (options.signal.aborted) throw new StackError('BOOTSTRAP_FAILED', 'stopped during the bootstrap; the next start carries on where it stopped');
    if (backfill.exit.code !== 0 && cliErrorCode(backfill.stderr) === 'LOCK_HELD' && Date.now() < deadline) {
      log.stack(`history: another maintenance run holds the lock (an earlier start stopped mid-run?); retrying in ${LOCK_RETRY_MS / 1000} s until its lease lapses`);
      await sleep(LOCK_RETRY_MS, undefined, { signal: options.signal }).catch(() => undefined);
      continue;
    }
    if (backfill.exit.code !== 0) {
      throw new StackError('BOOTSTRAP_FAILED', `maintenance backfill ${describeExit(backfill.exit)} (see the [maintenance] lines above).`);
    }
    const summary = readOutput(() => parseBackfillSummary(backfill.stdout));
    log.stack(`history: bootstrap done: ${summary.completed} sessions loaded, ${summary.alreadyCompleted} already there`);
    return decision;
  }
}

function readOutput<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new StackError('BOOTSTRAP_FAILED', `the maintenance CLI's output was not what it documents: ${error instanceof Error ? error.message : String(error)}`);
  }
}
