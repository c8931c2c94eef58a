import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The maintenance app, whose test entry (test/support/service-process.ts) runs `maintenance serve` with a clock set by `--now`. */
const APP = resolve(import.meta.dirname, '../../../apps/data-maintenance');

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it wrote, stdout and stderr, as it came. */
  output(): string;
  /** The JSON lines among it (pino's). */
  events(): Array<Record<string, unknown>>;
}

/** Starts the service as its own process with exactly `env` (and PATH), its output captured. */
export function spawnService(env: Record<string, string>, now: string): ServiceProcess {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', 'test/support/service-process.ts', '--now', now], {
    cwd: APP,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  return {
    child,
    exited,
    output: () => output,
    events: () =>
      output.split('\n').flatMap((line) => {
        try {
          const value: unknown = JSON.parse(line);
          return typeof value === 'object' && value !== null && !Array.isArray(value) ? [value as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      }),
  };
}
