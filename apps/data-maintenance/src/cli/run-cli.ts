import type { Clock, IsoDate, TradingCalendar } from '@scanner/market-calendar';
import { type Result, ok } from '@scanner/shared-types';
import { ConfigError, type MaintenanceConfig, loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import type { CycleDeps } from '../cycle/run-cycle.js';
import { NewDayError } from '../jobs/new-day-job.js';
import { errorInfo } from '../tasks/task-result.js';
import { calendarLines } from './calendar-lines.js';
import { type CliCommand, type CliUsageError, USAGE } from './cli-command.js';
import type { CliOutput } from './cli-output.js';
import { backfillCommand } from './commands/backfill-command.js';
import { cleanupCommand } from './commands/cleanup-command.js';
import { newDayCommand, newDayDate } from './commands/new-day-command.js';
import { runCommand } from './commands/run-command.js';
import { statusCommand } from './commands/status-command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { parseCli } from './parse-cli.js';

export interface CliEnvironment {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  readonly calendar: TradingCalendar;
  readonly out: CliOutput;
  /** Human-readable errors. */
  readonly errorLine: (text: string) => void;
  /** Connects the clients a command needs (main.ts, the composition root, provides it). */
  readonly open: (config: MaintenanceConfig) => Promise<OpenServices>;
  /**
   * `serve`: the long-running service, which opens and closes its own clients (so `open` is not used).
   * Absent where no service is wired: `serve` then exits 2.
   */
  readonly serve?: (config: MaintenanceConfig) => Promise<ExitCode>;
}

/** The clients of one command, and how to close them so the process can exit on its own. */
export interface OpenServices {
  readonly deps: CycleDeps;
  close(): Promise<void>;
}

/** The whole command line: parse, configure, connect, run, close. Returns the exit code. */
export async function runCli(environment: CliEnvironment): Promise<ExitCode> {
  const { out, errorLine, clock, calendar } = environment;
  const parsed = parseCli(environment.argv, { calendar, now: clock.now() });
  if (!parsed.ok) {
    errorLine(`error ${parsed.error.code}: ${parsed.error.message}\nRun "maintenance help" for usage.`);
    return EXIT.USAGE;
  }
  const command = parsed.value;
  if (command.kind === 'help') {
    errorLine(USAGE);
    return EXIT.OK;
  }
  if (command.kind === 'calendar') {
    for (const line of calendarLines(calendar, command.from, command.to)) out.json(line);
    return EXIT.OK;
  }

  let config: MaintenanceConfig;
  try {
    config = loadConfig(environment.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      errorLine(`error ${error.code}: ${error.message}`);
      return EXIT.USAGE;
    }
    throw error;
  }
  if (command.kind === 'serve') return serve(environment, config);
  const resolved = resolveCommand(command, config, environment);
  if (!resolved.ok) {
    errorLine(`error ${resolved.error.code}: ${resolved.error.message}`);
    return EXIT.USAGE;
  }
  try {
    const services = await environment.open(config);
    try {
      return await dispatch(resolved.value, services.deps, config, out);
    } finally {
      await services.close();
    }
  } catch (error) {
    errorLine(errorText(error));
    // The announced day moved on between the check above and the lock (NEW_DAY_TIME passed): a refusal, nothing ran.
    if (error instanceof NewDayError) return EXIT.USAGE;
    // Services down, the lock held or lost, a failed migration: the command could not be carried out.
    return EXIT.FAILED;
  }
}

/** A command ready to run: `new-day`'s date is resolved against the config; `serve` never gets here. */
type ResolvedCommand = Exclude<CliCommand, { kind: 'new-day' | 'serve' }> | { readonly kind: 'new-day'; readonly date: IsoDate };

function resolveCommand(
  command: Exclude<CliCommand, { kind: 'serve' }>,
  config: MaintenanceConfig,
  { calendar, clock }: Pick<CliEnvironment, 'calendar' | 'clock'>,
): Result<ResolvedCommand, CliUsageError> {
  if (command.kind !== 'new-day') return ok(command);
  const date = newDayDate(command.date, { calendar, now: clock.now(), newDayMinute: config.schedules.newDayMinute });
  return date.ok ? ok({ kind: 'new-day', date: date.value }) : date;
}

async function serve(environment: CliEnvironment, config: MaintenanceConfig): Promise<ExitCode> {
  if (environment.serve === undefined) {
    environment.errorLine('error SERVE_UNAVAILABLE: no service is wired into this entry point (main.ts provides it); nothing ran');
    return EXIT.USAGE;
  }
  try {
    return await environment.serve(config);
  } catch (error) {
    environment.errorLine(errorText(error));
    return EXIT.FAILED;
  }
}

/** `error <CODE>: <message>`, with the stable code the error carries (ERROR when it has none). */
export function errorText(error: unknown): string {
  const { code, message } = errorInfo(error);
  return `error ${code}: ${message}`;
}

async function dispatch(command: ResolvedCommand, deps: CycleDeps, config: MaintenanceConfig, out: CliOutput): Promise<ExitCode> {
  const migrateFirst = async () => {
    const result = await migrate(deps.pool, config.database.schema);
    if (result.applied.length > 0) deps.logger.info({ event: 'migrations_applied', ...result }, 'database migrated');
    return result;
  };
  switch (command.kind) {
    case 'migrate':
      out.json(await migrateFirst());
      return EXIT.OK;
    case 'run':
      await migrateFirst();
      return runCommand(deps, command, out);
    case 'backfill':
      await migrateFirst();
      return backfillCommand(deps, command, out);
    case 'cleanup':
      await migrateFirst();
      return cleanupCommand(deps, command, out);
    case 'status':
      return statusCommand(deps, command, out);
    case 'new-day':
      await migrateFirst();
      return newDayCommand(
        { ...deps, newDay: config.newDay, newDayMinute: config.schedules.newDayMinute },
        { date: command.date, leaseMs: config.service.lockLeaseMs },
        out,
      );
    case 'help':
    case 'calendar':
      return EXIT.OK;
  }
}
