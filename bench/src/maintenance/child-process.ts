import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { BenchError } from '../report/bench-error.js';
import { REPO_ROOT, typeScriptChildArgs } from '../ws/node-args.js';

/**
 * Runs a TypeScript entry of this directory in its own Node process and returns the JSON of the last
 * line it printed on stdout. Its stderr (progress, logs) passes through. Each measured run gets a fresh
 * process, so its peak RSS is its own and not what earlier runs left on the heap.
 */
export function runChild<T>(entry: string, input: unknown): Promise<T> {
  const script = resolve(import.meta.dirname, entry);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...typeScriptChildArgs(), script, JSON.stringify(input)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(new BenchError('RUN_FAILED', `${entry} exited with ${signal ?? `code ${code}`}`));
        return;
      }
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolvePromise(JSON.parse(last) as T);
      } catch (error) {
        reject(new BenchError('RUN_FAILED', `${entry} printed no JSON result: ${last.slice(0, 200)}`, { cause: error }));
      }
    });
  });
}

/** What a child entry does with its input: prints the outcome as its last stdout line, or fails with exit 1. */
export function childMain<I, O>(run: (input: I) => Promise<O>): void {
  const input = JSON.parse(process.argv[2] ?? 'null') as I;
  run(input)
    .then((output) => {
      process.stdout.write(`${JSON.stringify(output)}\n`);
    })
    .catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      process.stderr.write(`error ${typeof code === 'string' ? code : 'RUN_FAILED'}: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    });
}
