import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * A child of the stack. Each one runs in its own process group (`detached`), so a Ctrl-C in the
 * terminal reaches the stack alone and the stack stops the children in its order: the apps first,
 * then the Redis and PostgreSQL they write to. Output arrives line by line for the prefixed log.
 */

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (ENOENT, EACCES). */
  readonly error?: Error;
}

export interface ChildOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  readonly uid?: number;
  readonly gid?: number;
}

export interface ManagedChild {
  readonly name: string;
  readonly pid: number | undefined;
  readonly exited: Promise<ChildExit>;
  readonly hasExited: () => boolean;
  /** Sends `signal`, waits up to `timeoutMs`, then SIGKILLs the whole process group. Resolves once it is gone. */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<ChildExit>;
}

export function startChild(options: ChildOptions): ManagedChild {
  let child: ChildProcess;
  let exit: ChildExit | null = null;
  let settle: (value: ChildExit) => void = () => undefined;
  const exited = new Promise<ChildExit>((resolve) => {
    settle = (value) => {
      if (exit !== null) return;
      exit = value;
      resolve(value);
    };
  });
  try {
    child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
  } catch (error) {
    settle({ code: null, signal: null, error: error instanceof Error ? error : new Error(String(error)) });
    return { name: options.name, pid: undefined, exited, hasExited: () => true, stop: () => exited };
  }
  // Output may still be draining when 'exit' fires; 'close' comes after both streams ended.
  child.once('error', (error) => settle({ code: null, signal: null, error }));
  child.once('close', (code, signal) => settle({ code, signal }));
  for (const stream of ['stdout', 'stderr'] as const) {
    const source = child[stream];
    if (source) createInterface({ input: source, crlfDelay: Infinity }).on('line', (line) => options.onLine(line, stream));
  }

  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  };
  const stop = async (signal: NodeJS.Signals, timeoutMs: number): Promise<ChildExit> => {
    if (exit !== null) return exit;
    try {
      child.kill(signal);
    } catch {
      // exited meanwhile
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const first = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (first === 'timeout') signalGroup('SIGKILL');
    const result = await exited;
    // Anything the child left behind in its group (a grandchild) goes with it.
    signalGroup('SIGKILL');
    return result;
  };
  return { name: options.name, pid: child.pid, exited, hasExited: () => exit !== null, stop };
}

/** How a child ended, for a person: "exit code 1", "signal SIGKILL", or the spawn error. */
export function describeExit(exit: ChildExit): string {
  if (exit.error) return `could not be started (${exit.error.message})`;
  if (exit.signal !== null) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}
