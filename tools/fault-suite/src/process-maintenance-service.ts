import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The maintenance service as a child process: `maintenance serve` through the app's test entry
 * (test/support/service-process.ts), whose clock starts at a chosen instant and then runs in real time,
 * so a scenario stands on a chosen trading day whatever the machine's date.
 */

const APP = resolve(import.meta.dirname, '../../../apps/data-maintenance');
const ENTRY = 'test/support/service-process.ts';

export interface ServiceExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface MaintenanceProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<ServiceExit>;
  /** The pino lines written to stderr so far, parsed. */
  events(): Array<Record<string, unknown>>;
  /** The first event so far that matches, or undefined. */
  find(predicate: (event: Record<string, unknown>) => boolean): Record<string, unknown> | undefined;
  /** stderr as written (for a failure message). */
  stderr(): string;
  /** Signals the process (if it still runs) and waits for it to exit. */
  stop(signal: NodeJS.Signals): Promise<ServiceExit>;
  running(): boolean;
}

/**
 * One clock across restarts: each start is given the instant at which the previous process's clock
 * would stand now. Restarting at the same instant would run time backwards, and the ledger orders
 * attempts by time.
 */
export function timeline(startIso: string): () => string {
  const start = Date.parse(startIso);
  if (Number.isNaN(start)) throw new Error(`not an ISO instant: ${startIso}`);
  const origin = performance.now();
  return () => new Date(start + (performance.now() - origin)).toISOString();
}

export function startMaintenanceService(env: Readonly<Record<string, string>>, nowIso: string): MaintenanceProcess {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', ENTRY, '--now', nowIso], {
    cwd: APP,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let parsed: Array<Record<string, unknown>> = [];
  let parsedUpTo = 0;
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<ServiceExit>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  const events = () => {
    const end = stderr.lastIndexOf('\n') + 1;
    if (end > parsedUpTo) {
      parsed = parsed.concat(parseLines(stderr.slice(parsedUpTo, end)));
      parsedUpTo = end;
    }
    return parsed;
  };
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid: child.pid ?? -1,
    exited,
    events,
    find: (predicate) => events().find(predicate),
    stderr: () => stderr,
    running,
    async stop(signal) {
      if (running()) child.kill(signal);
      return exited;
    },
  };
}

function parseLines(text: string): Array<Record<string, unknown>> {
  return text.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

export interface ServiceSettings {
  readonly databaseUrl: string;
  /** Appended to DATABASE_URL, so the process's backends can be told apart in pg_stat_activity. */
  readonly applicationName: string;
  readonly schema: string;
  readonly redisUrl: string;
  readonly prefix: string;
  /** Synthetic tickers: the cycle's length grows with it. */
  readonly universe: number;
}

/**
 * The environment of a service that catches up one session at once and retries every second: a run that
 * failed or died is taken up again within about a second of its lock lapsing (1 s lease). ATR over one
 * period, so two sessions of bars already give every ticker an ATR row and key to compare.
 */
export function serviceEnvironment(s: ServiceSettings): Record<string, string> {
  const url = new URL(s.databaseUrl);
  url.searchParams.set('application_name', s.applicationName);
  return {
    DATABASE_URL: url.toString(),
    PGSCHEMA: s.schema,
    REDIS_URL: s.redisUrl,
    REDIS_KEY_PREFIX: s.prefix,
    MARKET_DATA_SOURCE: 'synthetic',
    SYNTHETIC_UNIVERSE_SIZE: String(s.universe),
    SYNTHETIC_SEED: '11',
    ATR_PERIOD: '1',
    ATR_MAX_SESSIONS: '2',
    LOG_LEVEL: 'info',
    WEBSOCKET_CLEAR_CACHE_URL: 'none',
    CONTROL_PORT: '0',
    CATCH_UP_SESSIONS: '1',
    CATCH_UP_INTERVAL_MS: '1000',
    HEALTH_CHECK_INTERVAL_MS: '600000',
    MAINTENANCE_LOCK_LEASE_MS: '1000',
    SHUTDOWN_GRACE_MS: '20000',
  };
}
