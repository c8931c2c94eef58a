import { join } from 'node:path';
import type { StackLog } from '../log/stack-log.js';
import { type ChildExit, type ManagedChild, startChild } from './child-process.js';

/**
 * The apps, driven through their own command lines from their TypeScript sources, as
 * `tsx --conditions=development <main.ts>` does, but as one node process per app (tsx as an import
 * hook instead of tsx's wrapper process): the stack signals the app itself, not a relay.
 */

export const APP_ENTRIES = {
  ws: 'apps/websocket-server/src/main.ts',
  maintenance: 'apps/data-maintenance/src/main.ts',
  feed: 'apps/scanner-feed/src/main.ts',
} as const;

export type AppName = keyof typeof APP_ENTRIES;

export function startApp(options: {
  readonly app: AppName;
  readonly prefix: string;
  readonly repoRoot: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly log: StackLog;
  readonly onStdoutLine?: (line: string) => void;
}): ManagedChild {
  return startChild({
    name: options.prefix,
    command: process.execPath,
    args: ['--conditions=development', '--import', 'tsx', join(options.repoRoot, APP_ENTRIES[options.app]), ...options.args],
    cwd: options.repoRoot,
    env: options.env,
    onLine: (line, stream) => {
      if (stream === 'stdout' && options.onStdoutLine) options.onStdoutLine(line);
      else options.log.child(options.prefix, line);
    },
  });
}

export interface CliResult {
  readonly exit: ChildExit;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * One maintenance command to its end: stderr (logs, `error CODE: ...`) is shown prefixed, stdout (JSON
 * lines) is returned and, line by line, handed to `onStdoutLine`. Stopping the stack stops it.
 */
export async function runMaintenanceCli(options: {
  readonly repoRoot: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly log: StackLog;
  readonly signal: AbortSignal;
  readonly onStdoutLine?: (line: string) => void;
}): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const child = startChild({
    name: 'maintenance',
    command: process.execPath,
    args: ['--conditions=development', '--import', 'tsx', join(options.repoRoot, APP_ENTRIES.maintenance), ...options.args],
    cwd: options.repoRoot,
    env: options.env,
    onLine: (line, stream) => {
      if (stream === 'stdout') {
        stdout.push(line);
        options.onStdoutLine?.(line);
      } else {
        stderr.push(line);
        options.log.child('maintenance', line);
      }
    },
  });
  const onAbort = () => void child.stop('SIGTERM', 5000);
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) onAbort();
  try {
    const exit = await child.exited;
    return { exit, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
  } finally {
    options.signal.removeEventListener('abort', onAbort);
  }
}
