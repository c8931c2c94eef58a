import { parseArgs } from 'node:util';
import {
  CalendarError,
  type IsoDate,
  type TradingCalendar,
  newYorkDateOf,
  parseIsoDate,
} from '@scanner/market-calendar';
import { MAINTENANCE_TASKS, type MaintenanceTaskName, type Result, err, ok } from '@scanner/shared-types';
import type { CliCommand, CliErrorCode, CliUsageError } from './cli-command.js';

export interface CliContext {
  readonly calendar: TradingCalendar;
  /** The current instant; run dates must be sessions whose market has closed by then. */
  readonly now: Date;
}

type Options = Record<string, string | boolean | undefined>;

interface CommandSpec {
  readonly options: Record<string, { type: 'string' | 'boolean' }>;
  build(options: Options, context: CliContext): Result<CliCommand, CliUsageError>;
}

class UsageFailure extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const fail = (code: CliErrorCode, message: string): never => {
  throw new UsageFailure(code, message);
};

const COMMANDS: Record<string, CommandSpec> = {
  help: { options: {}, build: () => ok({ kind: 'help' }) },
  run: {
    options: { date: { type: 'string' }, tasks: { type: 'string' } },
    build: (o, c) => {
      const date = o['date'] === undefined ? lastClosedSession(c) : closedSession(dateOption(o, 'date'), c);
      return ok({ kind: 'run', date, tasks: tasksOption(o) });
    },
  },
  backfill: {
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      tasks: { type: 'string' },
      force: { type: 'boolean' },
      'continue-on-error': { type: 'boolean' },
    },
    build: (o, c) => {
      const from = requiredDate(o, 'from');
      const to = o['to'] === undefined ? lastClosedSession(c) : dateOption(o, 'to');
      const dates = tradingDaysBetween(from, to, c);
      if (dates.length === 0) fail('NO_TRADING_DAYS', `${from}..${to} holds no trading day`);
      const last = dates[dates.length - 1] as IsoDate;
      closedSession(last, c);
      return ok({
        kind: 'backfill',
        from,
        to,
        dates,
        tasks: tasksOption(o),
        force: o['force'] === true,
        continueOnError: o['continue-on-error'] === true,
      });
    },
  },
  status: {
    options: { date: { type: 'string' } },
    build: (o) => ok({ kind: 'status', date: o['date'] === undefined ? null : dateOption(o, 'date') }),
  },
  calendar: {
    options: { from: { type: 'string' }, to: { type: 'string' } },
    build: (o, c) => {
      const from = requiredDate(o, 'from');
      const to = requiredDate(o, 'to');
      tradingDaysBetween(from, to, c);
      return ok({ kind: 'calendar', from, to });
    },
  },
  migrate: { options: {}, build: () => ok({ kind: 'migrate' }) },
  cleanup: {
    options: { date: { type: 'string' } },
    build: (o, c) => ok({ kind: 'cleanup', date: o['date'] === undefined ? newYorkDateOf(c.now) : dateOption(o, 'date') }),
  },
  'new-day': {
    options: { date: { type: 'string' } },
    // Whether the date is the one to announce now depends on NEW_DAY_TIME, which the config holds.
    build: (o, c) => ok({ kind: 'new-day', date: o['date'] === undefined ? null : dayToAnnounce(dateOption(o, 'date'), c) }),
  },
  serve: { options: {}, build: () => ok({ kind: 'serve' }) },
};

/**
 * The command line (without node and the script) to a validated command, or a usage error with a
 * stable code. Pure: the calendar and the current instant come in as values.
 */
export function parseCli(argv: readonly string[], context: CliContext): Result<CliCommand, CliUsageError> {
  const [name, ...rest] = argv;
  if (name === undefined) return err({ code: 'MISSING_COMMAND', message: 'no command given; try "help"' });
  if (name === '--help' || name === '-h') return ok({ kind: 'help' });
  const spec = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (spec === undefined) {
    return err({ code: 'UNKNOWN_COMMAND', message: `unknown command ${JSON.stringify(name)}; expected one of ${Object.keys(COMMANDS).join(', ')}` });
  }
  try {
    if (rest.includes('--help') || rest.includes('-h')) return ok({ kind: 'help' });
    const { values, positionals } = parseArgs({ args: [...rest], options: spec.options, strict: true, allowPositionals: true });
    if (positionals.length > 0) fail('UNEXPECTED_ARGUMENT', `unexpected argument ${JSON.stringify(positionals[0])} for ${name}`);
    return spec.build(values, context);
  } catch (error) {
    if (error instanceof UsageFailure) return err({ code: error.code, message: error.message });
    return err(fromParseArgsError(error, name));
  }
}

function fromParseArgsError(error: unknown, command: string): CliUsageError {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return { code: 'UNKNOWN_OPTION', message: `${command}: ${firstLine(message)}` };
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return { code: 'UNEXPECTED_ARGUMENT', message: `${command}: ${firstLine(message)}` };
  return { code: 'INVALID_OPTION', message: `${command}: ${firstLine(message)}` };
}

const firstLine = (text: string) => text.split('\n')[0] ?? text;

function requiredDate(options: Options, name: string): IsoDate {
  if (options[name] === undefined) fail('MISSING_OPTION', `--${name} YYYY-MM-DD is required`);
  return dateOption(options, name);
}

function dateOption(options: Options, name: string): IsoDate {
  const value = options[name];
  if (typeof value !== 'string') return fail('INVALID_OPTION', `--${name} needs a value YYYY-MM-DD`);
  try {
    parseIsoDate(value);
    return value;
  } catch (error) {
    if (error instanceof CalendarError && error.code === 'OUT_OF_RANGE') {
      return fail('DATE_OUT_OF_RANGE', `--${name} ${value}: ${error.message}`);
    }
    return fail('INVALID_DATE', `--${name} ${JSON.stringify(value)} is not a real date as YYYY-MM-DD`);
  }
}

function tasksOption(options: Options): MaintenanceTaskName[] | null {
  const value = options['tasks'];
  if (value === undefined) return null;
  if (typeof value !== 'string') return fail('INVALID_OPTION', '--tasks needs a comma-separated list of tasks');
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) fail('UNKNOWN_TASK', '--tasks is empty');
  const unknown = names.filter((n) => !(MAINTENANCE_TASKS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    fail('UNKNOWN_TASK', `unknown task${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; expected ${MAINTENANCE_TASKS.join(', ')}`);
  }
  // Always the cycle's order, whatever order they were typed in: later tasks read what earlier ones wrote.
  return MAINTENANCE_TASKS.filter((t) => names.includes(t));
}

function tradingDaysBetween(from: IsoDate, to: IsoDate, context: CliContext): IsoDate[] {
  if (parseIsoDate(from) > parseIsoDate(to)) fail('INVALID_RANGE', `--from ${from} is after --to ${to}`);
  return context.calendar.sessionsBetween(from, to);
}

function dayToAnnounce(date: IsoDate, context: CliContext): IsoDate {
  const info = context.calendar.describe(date);
  if (!info.isTradingDay) fail('NOT_A_TRADING_DAY', `${date} is not a trading day (${info.closure?.reason ?? 'market closed'}); no new day to announce`);
  return date;
}

function closedSession(date: IsoDate, context: CliContext): IsoDate {
  const info = context.calendar.describe(date);
  if (!info.isTradingDay || info.session === null) {
    return fail('NOT_A_TRADING_DAY', `${date} is not a trading day (${info.closure?.reason ?? 'market closed'}); nothing to run`);
  }
  if (info.session.marketClose.getTime() > context.now.getTime()) {
    fail('SESSION_NOT_CLOSED', `the ${date} session closes at ${info.session.marketClose.toISOString()}; its data is not final yet`);
  }
  return date;
}

/** The latest session whose regular market has closed by now: today after the close, else the one before. */
export function lastClosedSession(context: CliContext): IsoDate {
  const today = context.calendar.tradingDayOnOrBefore(newYorkDateOf(context.now));
  const session = context.calendar.session(today);
  return session.marketClose.getTime() <= context.now.getTime() ? today : context.calendar.previousTradingDay(today);
}
