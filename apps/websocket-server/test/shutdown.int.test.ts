import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRADING_DAY } from './support/clock.js';
import { Harness } from './support/harness.js';
import { REDIS_URL } from './support/redis.js';
import { makeRows } from './support/upstream.js';
import { TestClient } from './support/ws-client.js';
import { waitFor } from './support/wait.js';

const APP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

let h: Harness;
let child: ChildProcess | null = null;
beforeEach(async () => {
  h = new Harness();
  await h.upstream.announceNewDay(TRADING_DAY, { publish: false });
});
afterEach(async () => {
  if (child !== null && child.exitCode === null) child.kill('SIGKILL');
  child = null;
  await h.cleanup();
});

describe('SIGTERM', () => {
  it('closes every client with 1001 and exits 0', async () => {
    await h.upstream.snapshot('winners', makeRows(10, new Date().toISOString()));
    const port = await freePort();
    let output = '';
    const proc = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', 'src/main.ts'], {
      cwd: APP_DIR,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', REDIS_URL, REDIS_KEY_PREFIX: h.prefix, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((done) => proc.once('exit', (code, signal) => done({ code, signal })));

    await waitFor(
      `the server to be ready (output so far: ${output})`,
      async () => {
        try {
          return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
        } catch {
          return false;
        }
      },
      15_000,
    );
    const url = `ws://127.0.0.1:${port}/ws/scanner`;
    const clients = await Promise.all([TestClient.connect(url), TestClient.connect(url), TestClient.connect(url)]);
    for (const client of clients) await client.subscribe('winners');

    proc.kill('SIGTERM');
    for (const client of clients) expect(await client.waitForClose(10_000)).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output).toContain('"event":"shutdown_completed"');
  });
});
