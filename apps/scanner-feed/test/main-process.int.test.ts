import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { decodeSequence } from '@scanner/redis-keys';
import { SCANNER_LISTS } from '@scanner/shared-types';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { REDIS_URL, readStream, redisTestKit, waitFor } from './redis-test-kit.js';

const kit = redisTestKit();
const { redis } = kit;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await kit.cleanup();
});
afterAll(() => redis.quit());

const APP_DIR = resolve(import.meta.dirname, '..');

/** main.ts in its own node process, as `nx serve scanner-feed` runs it (tsx, development condition). */
function startFeed(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', 'src/main.ts', ...args], {
    cwd: APP_DIR,
    env: { ...process.env, REDIS_URL, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('scanner-feed process', () => {
  it('runs --ticks N against Redis and exits 0', async () => {
    const keys = kit.freshKeys();
    const run = startFeed(['--ticks', '3', '--cadence-ms', '50', '--lists', '2'], { REDIS_KEY_PREFIX: keys.prefix });
    expect(await run.exited, run.output().stderr).toBe(0);
    const entries = await readStream(redis, keys);
    expect(entries.slice(0, 2).map((e) => [e.entry.type, e.entry.list, e.entry.sequence])).toEqual([
      ['snapshot', 'winners', 1],
      ['snapshot', 'losers', 1],
    ]);
    expect(entries.every((e) => e.entry.list === 'winners' || e.entry.list === 'losers')).toBe(true);
    const last = entries.filter((e) => e.entry.list === 'winners').at(-1)?.entry.sequence;
    expect(decodeSequence(await redis.get(keys.scannerSequence('winners')))).toEqual({ ok: true, value: last });
  });

  it('stops cleanly on SIGTERM and on SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const keys = kit.freshKeys();
      const run = startFeed(['--cadence-ms', '50'], { REDIS_KEY_PREFIX: keys.prefix, LOG_LEVEL: 'info' });
      await waitFor(async () => (await redis.xlen(keys.rankingDeltas)) > SCANNER_LISTS.length, 'the feed to write deltas');
      run.child.kill(signal);
      expect(await run.exited, run.output().stderr).toBe(0);
      expect(run.output().stdout).toContain('"event":"feed_stopped"');
    }
  });

  it('exits 2 with every bad setting named on bad arguments, writing nothing', async () => {
    const keys = kit.freshKeys();
    const run = startFeed(['--cadence-ms', 'soon', '--lists', '40'], { REDIS_KEY_PREFIX: keys.prefix, FEED_ROWS_PER_LIST: '0' });
    expect(await run.exited).toBe(2);
    const { stderr } = run.output();
    expect(stderr).toContain('FEED_CADENCE_MS (--cadence-ms)');
    expect(stderr).toContain('FEED_LISTS (--lists)');
    expect(stderr).toContain('FEED_ROWS_PER_LIST (--rows)');
    expect(stderr).toContain('usage:');
    expect(await redis.exists(keys.rankingDeltas)).toBe(0);

    const unknown = startFeed(['--cadense', '5']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output().stderr).toContain('--cadense');
  });

  it('prints its usage on --help and exits 0', async () => {
    const run = startFeed(['--help']);
    expect(await run.exited).toBe(0);
    expect(run.output().stdout).toContain('SYNTHETIC');
  });
});
