import { type AppName, startApp } from '../adapters/app-commands.js';
import { describeExit, type ManagedChild } from '../adapters/child-process.js';
import { httpOk, waitUntil } from '../adapters/wait-until.js';
import type { StackLog } from '../log/stack-log.js';
import type { ChildEnvs } from '../plan/child-env.js';
import { StackError } from '../stack-error.js';
import type { RunningSet } from './running-set.js';

/**
 * The three services, each started once the one before it is ready: the websocket-server first (the
 * maintenance service's new-day announcement calls its clear-cache route), then `maintenance serve`,
 * then the feed that writes the lists the page shows.
 */

/** The websocket-server's own SHUTDOWN_TIMEOUT_MS is 5 s; the feed stops after its current tick. */
const WS_STOP_MS = 15_000;
const FEED_STOP_MS = 10_000;

export interface AppsOptions {
  readonly repoRoot: string;
  readonly envs: ChildEnvs;
  readonly log: StackLog;
  readonly running: RunningSet;
  readonly signal: AbortSignal;
  readonly readyTimeoutMs: number;
  readonly readyzUrl: string;
  readonly healthUrl: string;
  readonly maintenanceStopMs: number;
}

export async function startApps(options: AppsOptions): Promise<void> {
  const { log, running } = options;
  const launch = (app: AppName, prefix: string, args: readonly string[], env: Record<string, string>, onLine?: (line: string) => void): ManagedChild =>
    startApp({
      app,
      prefix,
      repoRoot: options.repoRoot,
      args,
      env,
      log,
      // The apps log pino JSON to stdout (the maintenance service to stderr): both are shown.
      onStdoutLine: (line) => {
        onLine?.(line);
        log.child(prefix, line);
      },
    });

  const ws = launch('ws', 'ws', [], options.envs.ws);
  running.add({ label: 'websocket-server', child: ws, tier: 0, stopSignal: 'SIGTERM', stopTimeoutMs: WS_STOP_MS });
  await waitReady(options, 'websocket-server', ws, () => httpOk(options.readyzUrl), options.readyzUrl);

  const maintenance = launch('maintenance', 'maintenance', ['serve'], options.envs.maintenance);
  running.add({ label: 'maintenance service', child: maintenance, tier: 0, stopSignal: 'SIGTERM', stopTimeoutMs: options.maintenanceStopMs });
  await waitReady(options, 'maintenance service', maintenance, () => httpOk(options.healthUrl), options.healthUrl);

  let feedStarted = false;
  const feed = launch('feed', 'feed', [], options.envs.feed, (line) => {
    if (line.includes('"event":"feed_started"')) feedStarted = true;
  });
  running.add({ label: 'scanner feed', child: feed, tier: 0, stopSignal: 'SIGTERM', stopTimeoutMs: FEED_STOP_MS });
  await waitReady(options, 'scanner feed', feed, () => Promise.resolve(feedStarted), 'its feed_started log line');
}

async function waitReady(options: AppsOptions, label: string, child: ManagedChild, check: () => Promise<boolean>, what: string): Promise<void> {
  const outcome = await waitUntil({ check, timeoutMs: options.readyTimeoutMs, exited: child.exited, signal: options.signal });
  switch (outcome.kind) {
    case 'ready':
      return;
    case 'aborted':
      throw new StackError('NOT_READY', `stopped while the ${label} was starting`);
    case 'exited':
      throw new StackError('CHILD_EXITED', `the ${label} ${describeExit(outcome.exit)} while starting (see its lines above).`);
    case 'timeout':
      throw new StackError('NOT_READY', `the ${label} was not ready within ${options.readyTimeoutMs} ms (waited for ${what}).`);
  }
}
