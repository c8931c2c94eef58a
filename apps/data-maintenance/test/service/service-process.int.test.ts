import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Redis } from 'ioredis';
import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunWithTasks, runsBetween } from '../../src/db/run-ledger.js';
import { createMarketDataSource } from '../../src/sources/create-source.js';
import { SyntheticMarketDataSource } from '../../src/sources/synthetic/synthetic-source.js';
import { type FakePolygonServer, startFakePolygonServer, syntheticPolygonData } from '../support/fake-polygon-server.js';
import { TEST_REDIS_URL, createHarness, dataChecksums, deleteKeysWithPrefix, dumpKeys, withoutTtl } from '../support/maintenance-harness.js';
import { type TestDatabase, TEST_DATABASE_URL, createTestDatabase } from '../support/test-database.js';
import { createTestService, testConfig } from './service-fixture.js';

const APP = resolve(import.meta.dirname, '../..');
const DATE = '2026-11-20';
/** Friday 2026-11-20 18:00 New York: the 17:00 cycle of the day is due. */
const NOW = '2026-11-20T23:00:00.000Z';
const API_KEY = 'test-key';
const UNIVERSE = 8;

interface ServiceProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The pino lines it wrote to stderr so far. */
  events(): Array<Record<string, unknown>>;
}

/**
 * One timeline across restarts: each process of a test starts its clock where the previous one's would
 * be now. Restarting at the same instant would run time backwards, and the ledger orders attempts by time.
 */
function timeline(start: string): () => string[] {
  const origin = performance.now();
  return () => ['test/support/service-process.ts', '--now', new Date(Date.parse(start) + (performance.now() - origin)).toISOString()];
}

function spawnService(env: Record<string, string>, entry: readonly string[]): ServiceProcess {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', ...entry], {
    cwd: APP,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  return {
    child,
    exited,
    events: () =>
      stderr.split('\n').flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
  };
}

/** The keys whose type, value or TTL presence differ between two dumps, with both sides: [] when equal. */
function keyDifferences(actual: ReturnType<typeof withoutTtl>, expected: ReturnType<typeof withoutTtl>): unknown[] {
  const keys = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort();
  return keys.filter((k) => !isDeepStrictEqual(actual[k], expected[k])).map((k) => ({ key: k, actual: actual[k], expected: expected[k] }));
}

/** The ledger's task row of the date's latest run. */
async function latestRun(db: TestDatabase): Promise<RunWithTasks | undefined> {
  return (await runsBetween(db.pool, DATE, DATE)).at(-1);
}

async function taskRunning(db: TestDatabase, task: string): Promise<void> {
  const run = await latestRun(db);
  if (run?.taskRuns.find((r) => r.task === task)?.status !== 'running') throw new Error(`${task} not running yet`);
}

describe('the service process (spawned, with real PostgreSQL, Redis and a fake Polygon)', () => {
  const synthetic = new SyntheticMarketDataSource({ universeSize: UNIVERSE, seed: 5 });
  let server: FakePolygonServer;
  /** The state of an uninterrupted run of the same day, by the same service code, in its own schema and prefix. */
  let reference: { tables: Awaited<ReturnType<typeof dataChecksums>>; keys: ReturnType<typeof withoutTtl> };
  const cleanups: Array<() => Promise<void>> = [];
  const children: ServiceProcess[] = [];

  const sourceEnvironment = (): Record<string, string> => ({
    MARKET_DATA_SOURCE: 'polygon',
    POLYGON_API_KEY: API_KEY,
    POLYGON_BASE_URL: server.url,
    POLYGON_RPS: '1000',
    POLYGON_CONCURRENCY: '2',
  });
  const environment = (db: TestDatabase, prefix: string): Record<string, string> => ({
    ...sourceEnvironment(),
    DATABASE_URL: TEST_DATABASE_URL,
    PGSCHEMA: db.schema,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    LOG_LEVEL: 'info',
    WEBSOCKET_CLEAR_CACHE_URL: 'none',
    CONTROL_PORT: '0',
    CONTROL_TOKEN: 'test-control-token-0123456789',
    CATCH_UP_SESSIONS: '1',
    CATCH_UP_INTERVAL_MS: '1000',
    MAINTENANCE_LOCK_LEASE_MS: '2000',
    SHUTDOWN_GRACE_MS: '20000',
  });

  const fresh = async () => {
    const db = await createTestDatabase();
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    const redis = new Redis(TEST_REDIS_URL);
    cleanups.push(async () => {
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
      await db.drop();
    });
    return { db, prefix, redis, env: environment(db, prefix) };
  };
  const start = (env: Record<string, string>, entry: readonly string[]) => {
    const p = spawnService(env, entry);
    children.push(p);
    return p;
  };
  /** enrich_metadata (the fifth of seven tasks) slowed at the source, so a test can act while it runs. */
  const slowDetails = () => server.fault('details', Array.from({ length: UNIVERSE }, () => ({ kind: 'slow', delayMs: 500 }) as const));

  beforeAll(async () => {
    server = await startFakePolygonServer({ data: syntheticPolygonData(synthetic), apiKey: API_KEY });
    // The uninterrupted run: the service's own catch-up at the same instant, in process.
    const h = await createHarness({ source: createMarketDataSource(loadConfig(sourceEnvironment()).source), evening: DATE });
    try {
      const t = createTestService(h.deps, testConfig({ catchUpSessions: 1 }));
      const report = await t.service.catchUp();
      expect(report?.ran).toContainEqual({ job: 'daily_maintenance', date: DATE, status: 'completed' });
      reference = { tables: await dataChecksums(h.db), keys: withoutTtl(await dumpKeys(h.redis, h.keys.prefix)) };
    } finally {
      await h.close();
    }
    expect(reference.tables['market_data_daily']?.rows).toBe(2 * UNIVERSE);
  }, 60_000);
  afterEach(async () => {
    for (const p of children.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  });
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await server?.close();
  });

  it('killed with SIGKILL in the middle of a cycle, restarted, it resumes at the interrupted task and ends in the state of an uninterrupted run', async () => {
    const { db, prefix, redis, env } = await fresh();
    const entry = timeline(NOW);
    slowDetails();
    const first = start(env, entry());
    await vi.waitFor(() => taskRunning(db, 'enrich_metadata'), { timeout: 30_000, interval: 50 });
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const killed = await latestRun(db);
    expect(killed?.status).toBe('running');
    expect(killed?.taskRuns.map((r) => [r.task, r.status])).toEqual([
      ...MAINTENANCE_TASKS.slice(0, 4).map((t) => [t, 'completed']),
      ['enrich_metadata', 'running'],
    ]);

    // The dead holder's lock lapses within the lease (2 s); the next catch-up pass takes it and resumes.
    const second = start(env, entry());
    await vi.waitFor(
      async () => {
        if ((await latestRun(db))?.status !== 'completed') throw new Error('not resumed yet');
      },
      { timeout: 40_000, interval: 100 },
    );
    const runs = await runsBetween(db.pool, DATE, DATE);
    expect(runs.map((r) => [r.trigger, r.status, r.tasks])).toEqual([
      ['catch_up', 'interrupted', [...MAINTENANCE_TASKS]],
      ['catch_up', 'completed', MAINTENANCE_TASKS.slice(4)],
    ]);
    expect(runs[0]?.taskRuns.find((r) => r.task === 'enrich_metadata')?.status).toBe('interrupted');
    expect(second.events().some((e) => e['event'] === 'interrupted_runs_found')).toBe(true);

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    // Once complete, the date stays complete: no later pass ran it again.
    expect((await runsBetween(db.pool, DATE, DATE)).length).toBe(2);
    expect(await dataChecksums(db)).toEqual(reference.tables);
    expect(keyDifferences(withoutTtl(await dumpKeys(redis, prefix)), reference.keys)).toEqual([]);
  }, 90_000);

  it('on SIGTERM during a cycle it lets the task finish, records the run interrupted, exits 0, and the next start resumes it', async () => {
    const { db, prefix, redis, env } = await fresh();
    const entry = timeline(NOW);
    slowDetails();
    const first = start(env, entry());
    await vi.waitFor(() => taskRunning(db, 'enrich_metadata'), { timeout: 30_000, interval: 50 });
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.events().find((e) => e['event'] === 'service_stopped')).toMatchObject({ graceful: true });

    const stopped = await latestRun(db);
    expect(stopped?.status).toBe('interrupted');
    expect(stopped?.taskRuns.map((r) => [r.task, r.status])).toEqual([
      ...MAINTENANCE_TASKS.slice(0, 5).map((t) => [t, 'completed']),
      ...MAINTENANCE_TASKS.slice(5).map((t) => [t, 'skipped']),
    ]);
    expect(await redis.get(`${prefix}maintenance:lock`)).toBeNull();

    const second = start(env, entry());
    await vi.waitFor(
      async () => {
        if ((await latestRun(db))?.status !== 'completed') throw new Error('not resumed yet');
      },
      { timeout: 30_000, interval: 100 },
    );
    expect((await runsBetween(db.pool, DATE, DATE)).map((r) => [r.status, r.tasks])).toEqual([
      ['interrupted', [...MAINTENANCE_TASKS]],
      ['completed', MAINTENANCE_TASKS.slice(5)],
    ]);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    // Once complete, the date stays complete: no later pass ran it again.
    expect((await runsBetween(db.pool, DATE, DATE)).length).toBe(2);
    expect(await dataChecksums(db)).toEqual(reference.tables);
    expect(keyDifferences(withoutTtl(await dumpKeys(redis, prefix)), reference.keys)).toEqual([]);
  }, 90_000);

  it('`maintenance serve` (main.ts, the system clock) opens the control port, answers /health and exits 0 on SIGTERM', async () => {
    const { env } = await fresh();
    const service = start({ ...env, MARKET_DATA_SOURCE: 'synthetic', SYNTHETIC_UNIVERSE_SIZE: '4' }, ['src/main.ts', 'serve']);
    const url = await vi.waitFor(
      () => {
        const listening = service.events().find((e) => e['event'] === 'control_server_listening');
        if (listening === undefined) throw new Error('not listening yet');
        return String(listening['url']);
      },
      { timeout: 30_000, interval: 100 },
    );
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', checks: { postgres: { ok: true }, redis: { ok: true } } });
    const status = (await (await fetch(`${url}/status`)).json()) as { next_runs: Array<{ job: string }> };
    expect(status.next_runs.map((r) => r.job)).toEqual(['new_day', 'daily_maintenance', 'weekly_cleanup']);

    service.child.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.events().map((e) => e['event'])).toEqual(expect.arrayContaining(['service_started', 'shutdown_requested', 'service_stopped']));
  }, 60_000);
});
