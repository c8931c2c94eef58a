import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../../../../..');

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * A TypeScript entry point run by node with tsx's loader (`--import tsx`) from the repository root, its
 * output kept for assertions and failures. node itself is the child, not a tsx wrapper around it, so a
 * signal (or a kill) reaches the process that holds the Redis connection: none outlives the test.
 */
export class TsxProcess {
  private readonly child: ChildProcess;
  private stdoutText = '';
  private stderrText = '';
  readonly exited: Promise<Exit>;

  constructor(
    readonly name: string,
    args: readonly string[],
    env: Readonly<Record<string, string>>,
    nodeFlags: readonly string[] = [],
  ) {
    this.child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', ...nodeFlags, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdoutText += chunk.toString('utf8')));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderrText += chunk.toString('utf8')));
    this.exited = new Promise((resolveExit) => this.child.once('exit', (code, signal) => resolveExit({ code, signal })));
  }

  get stdout(): string {
    return this.stdoutText;
  }

  /** The last lines of both streams, for an assertion message. */
  tail(lines = 20): string {
    const last = (text: string) => text.trimEnd().split('\n').slice(-lines).join('\n');
    return `--- ${this.name} stdout ---\n${last(this.stdoutText)}\n--- ${this.name} stderr ---\n${last(this.stderrText)}`;
  }

  /** Waits for the exit; kills the process when it outlives `timeoutMs`. */
  async finished(timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolveLate) => (timer = setTimeout(() => resolveLate(null), timeoutMs)));
    const exit = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (exit !== null) return exit;
    this.child.kill('SIGKILL');
    throw new Error(`${this.name} did not finish within ${timeoutMs} ms\n${this.tail()}`);
  }

  /** SIGTERM (the feed finishes its tick and closes Redis), then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 5_000): Promise<Exit> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolveLate) => (timer = setTimeout(() => resolveLate(null), graceMs)));
    const exit = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (exit !== null) return exit;
    this.child.kill('SIGKILL');
    return this.exited;
  }
}
