import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { BenchError } from '../report/bench-error.js';
import { REPO_ROOT, typeScriptChildArgs } from '../ws/node-args.js';

export interface FakePolygon {
  readonly baseUrl: string;
  readonly apiKey: string;
  stop(): Promise<void>;
}

/** Starts fake-polygon-child.ts serving the synthetic universe; resolves once it listens. */
export function startFakePolygon(universe: number, seed: number): Promise<FakePolygon> {
  const apiKey = `bench-${randomBytes(8).toString('hex')}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [...typeScriptChildArgs(), resolve(import.meta.dirname, 'fake-polygon-child.ts'), String(universe), String(seed), apiKey],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((resolvePromise, reject) => {
    let buffered = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new BenchError('RUN_FAILED', `the fake Polygon server exited (${code}) before listening`)));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffered += chunk;
      const line = buffered.split('\n')[0];
      if (line === undefined || !buffered.includes('\n')) return;
      resolvePromise({
        baseUrl: line.trim(),
        apiKey,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
