import { mkdir } from 'node:fs/promises';
import type { StackLog } from '../log/stack-log.js';
import { privateRedisUrl } from '../plan/service-plan.js';
import { StackError } from '../stack-error.js';
import { type ManagedChild, describeExit, startChild } from './child-process.js';
import { portIsFree, redisAnswers } from './probes.js';
import { waitUntil } from './wait-until.js';

/**
 * A redis-server of our own, from the PATH, on its own port and bound to 127.0.0.1. It keeps an RDB
 * snapshot in the stack's data folder (written every minute after a change and at shutdown), so a
 * second start finds `trading:current_day` and the per-ticker caches where the first one left them.
 */
export async function startPrivateRedis(options: {
  readonly executable: string;
  readonly port: number;
  readonly dir: string;
  readonly log: StackLog;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly env: Readonly<Record<string, string>>;
}): Promise<{ readonly child: ManagedChild; readonly url: string }> {
  const { port, dir, log } = options;
  if (!(await portIsFree('127.0.0.1', port))) {
    throw new StackError('PORT_IN_USE', `Port ${port} for the private Redis is in use (an earlier npm start still running?): stop what holds it or set LOCAL_STACK_REDIS_PORT.`);
  }
  await mkdir(dir, { recursive: true });
  log.stack(`private Redis: ${options.executable} on 127.0.0.1:${port}, data in ${dir}`);
  const child = startChild({
    name: 'redis',
    command: options.executable,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'dump.rdb', '--save', '60 1', '--appendonly', 'no', '--daemonize', 'no'],
    cwd: dir,
    env: options.env,
    onLine: (line) => log.child('redis', line),
  });
  const url = privateRedisUrl(port);
  const outcome = await waitUntil({ check: () => redisAnswers(url, 500), timeoutMs: options.timeoutMs, exited: child.exited, signal: options.signal });
  if (outcome.kind === 'ready') return { child, url };
  await child.stop('SIGTERM', 10_000);
  if (outcome.kind === 'aborted') throw new StackError('SERVICE_START_FAILED', 'stopped while the private Redis was starting');
  throw new StackError(
    'SERVICE_START_FAILED',
    outcome.kind === 'exited'
      ? `the private redis-server ${describeExit(outcome.exit)} (see the [redis] lines above)`
      : `the private redis-server did not answer within ${options.timeoutMs} ms`,
  );
}
