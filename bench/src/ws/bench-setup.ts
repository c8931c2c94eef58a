import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { BenchError } from '../report/bench-error.js';
import { benchLog } from '../report/bench-log.js';
import { type MachineInfo, machineInfo } from '../report/machine.js';
import { DATABASE_URL, REDIS_URL, benchPrefix, benchRedis, dropPrefix } from './bench-redis.js';
import { REPO_ROOT } from './node-args.js';
import { buildProbe } from './probe/build-probe.js';

/** What every WebSocket benchmark main sets up before its runs and tears down after. */
export interface WsBenchEnv {
  readonly redis: Redis;
  readonly prefix: string;
  readonly probePath: string;
  readonly logPath: string;
  readonly port: number;
  readonly machine: MachineInfo;
}

/** `npx tsc -b apps/websocket-server/tsconfig.app.json`: the server under test runs its built JS. */
export async function buildWebsocketServer(): Promise<void> {
  const tsc = resolve(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-b', 'apps/websocket-server/tsconfig.app.json'], { cwd: REPO_ROOT });
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? '';
    throw new BenchError('RUN_FAILED', `apps/websocket-server does not build: ${output.slice(0, 2_000)}`, { cause: error });
  }
}

/** A port nothing listens on now (the OS's pick); kept for the whole invocation so restarts reuse it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const address = server.address();
  await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  if (address === null || typeof address === 'string') throw new BenchError('RUN_FAILED', 'no free port');
  return address.port;
}

/** Sets up, runs `body`, and always drops the invocation's Redis keys. */
export async function withWsBench<T>(name: string, body: (env: WsBenchEnv) => Promise<T>): Promise<T> {
  await buildWebsocketServer();
  const redis = benchRedis('main');
  const prefix = benchPrefix(name);
  const probePath = await buildProbe();
  try {
    const env: WsBenchEnv = {
      redis,
      prefix,
      probePath,
      logPath: join(tmpdir(), `bench-${name}-${Date.now()}.log`),
      port: await freePort(),
      machine: await machineInfo({ redisUrl: REDIS_URL, databaseUrl: DATABASE_URL }),
    };
    benchLog('ws_bench_setup', { name, prefix, port: env.port, server_log: env.logPath });
    return await body(env);
  } finally {
    const dropped = await dropPrefix(redis, prefix);
    benchLog('ws_bench_cleaned', { name, prefix, keys_dropped: dropped });
    redis.disconnect();
    await rm(dirname(probePath), { recursive: true, force: true });
  }
}

/** The mains' error handling: a stable code and message on stderr, exit status 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    process.stderr.write(`error ${typeof code === 'string' ? code : 'BENCH_FAILED'}: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
