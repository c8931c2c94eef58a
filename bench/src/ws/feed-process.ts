import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createRedisKeys } from '@scanner/redis-keys';
import { SCANNER_LISTS } from '@scanner/shared-types';
import type { Redis } from 'ioredis';
import { BenchError } from '../report/bench-error.js';
import { REDIS_URL } from './bench-redis.js';
import { REPO_ROOT, typeScriptChildArgs } from './node-args.js';

const FEED_MAIN = resolve(REPO_ROOT, 'apps/scanner-feed/src/main.ts');

export interface FeedOptions {
  readonly prefix: string;
  readonly cadenceMs: number;
  readonly seed: number;
}

/**
 * The upstream scanner, played by `apps/scanner-feed` in a process of its own (its CPU is not the
 * server's): 11 lists of 100 rows from a 600-ticker synthetic market, one update per list per tick.
 */
export class FeedProcess {
  private constructor(private readonly child: ChildProcess) {}

  static async start(redis: Redis, options: FeedOptions): Promise<FeedProcess> {
    const args = [
      ...typeScriptChildArgs(),
      FEED_MAIN,
      ...['--cadence-ms', String(options.cadenceMs), '--prefix', options.prefix, '--seed', String(options.seed)],
      ...['--redis-url', REDIS_URL, '--log-level', 'warn'],
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const feed = new FeedProcess(child);
    const keys = createRedisKeys(options.prefix);
    // Its start is a snapshot of every list: the lists exist once every sequence key does.
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new BenchError('RUN_FAILED', `scanner-feed exited with ${child.exitCode} at start`);
      const written = await redis.exists(...SCANNER_LISTS.map((list) => keys.scannerSequence(list)));
      if (written === SCANNER_LISTS.length) return feed;
      if (Date.now() > deadline) {
        await feed.stop();
        throw new BenchError('RUN_FAILED', 'scanner-feed wrote no lists within 30 s');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolvePromise) => {
      this.child.once('exit', () => resolvePromise());
      this.child.kill('SIGTERM');
      setTimeout(() => this.child.kill('SIGKILL'), 10_000).unref();
    });
  }
}
