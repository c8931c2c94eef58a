import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * `npm start` as a process: the root script's own command (`tsx --conditions=development
 * tools/local-stack/src/main.ts`), its output kept line by line for the test to wait on and read.
 */

export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');

/** Variables of the developer's shell that would steer the stack away from what a test sets up. */
const STEERING = /^(PORT|HOST|CONTROL_PORT|CONTROL_TOKEN|REDIS_URL|DATABASE_URL|PGSCHEMA|REDIS_KEY_PREFIX|CLEAR_CACHE_TOKEN|DEMO_DIR|LOCAL_STACK_.*|MARKET_DATA_SOURCE|NEW_DAY_TIME|CATCH_UP_SESSIONS)$/;

export function testEnv(overrides: Record<string, string>): Record<string, string> {
  const base = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !STEERING.test(e[0])));
  return { ...base, ...overrides };
}

export interface StackRun {
  readonly lines: string[];
  readonly exited: Promise<number | null>;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Every pid the stack reported as started (`[stack] <label> started (pid N)`), by label. */
  startedPids(): Map<string, number>;
  signal(signal: NodeJS.Signals): void;
  output(): string;
}

export function startStack(env: Record<string, string>): StackRun {
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const child: ChildProcess = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['--conditions=development', 'tools/local-stack/src/main.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      lines.push(line);
      for (const wake of waiters) wake();
    });
  }
  const exited = new Promise<number | null>((resolveExit) => {
    child.once('close', (code) => {
      resolveExit(code);
      for (const wake of waiters) wake();
    });
  });
  let closed = false;
  void exited.then(() => {
    closed = true;
  });

  const waitFor = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpMatchArray>((resolveMatch, reject) => {
      const check = () => {
        for (const line of lines) {
          const match = pattern.exec(line);
          if (match) return finish(() => resolveMatch(match));
        }
        if (closed) finish(() => reject(new Error(`the stack exited before printing ${pattern}:\n${lines.slice(-40).join('\n')}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no line matched ${pattern} within ${timeoutMs} ms:\n${lines.slice(-40).join('\n')}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });

  return {
    lines,
    exited,
    waitFor,
    startedPids: () => {
      const pids = new Map<string, number>();
      for (const line of lines) {
        const match = /^\[stack\] (.+) started \(pid (\d+)\)$/.exec(line);
        if (match?.[1] && match[2]) pids.set(match[1], Number(match[2]));
      }
      return pids;
    },
    signal: (signal) => {
      child.kill(signal);
    },
    output: () => lines.join('\n'),
  };
}
