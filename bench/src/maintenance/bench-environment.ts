import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DailyBar,
  SyntheticMarketDataSource,
  createPool,
  migrate,
  partitionName,
  quoteIdent,
  readDailyBars,
  scanKeys,
  unlinkKeys,
} from '@scanner/data-maintenance';
import { createRedisKeys, encodeMarketSnapshot } from '@scanner/redis-keys';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { benchLog } from '../report/bench-log.js';
import type { MaintenancePlan } from './bench-plan.js';
import type { BenchTarget } from './bench-target.js';
import { runChild } from './child-process.js';
import { type FakePolygon, startFakePolygon } from './fake-polygon.js';
import { FLOOR_TABLE, psqlCopy } from './floors.js';
import type { HistoryWorkerInput, HistoryWorkerOutput, SetupJob } from './history-worker.js';
import type { RunMeasurement } from './measurement.js';
import type { VariantInput } from './run-variant.js';
import { type SlotChecksum, slotChecksum } from './slot-checksum.js';

export interface BenchEnvironment {
  readonly plan: MaintenancePlan;
  readonly target: BenchTarget;
  readonly pool: pg.Pool;
  readonly redis: Redis;
  readonly workDir: string;
  readonly slotCsv: string;
  readonly flatFilesDir: string;
  readonly polygon: FakePolygon;
  /** The previous session's bars as the setup left them; every reset puts them back. */
  readonly previousBars: readonly DailyBar[];
  /** The target session's slot rows as the fixture CSV has them: what every run must have stored. */
  readonly referenceSlots: SlotChecksum;
  readonly setup: SetupReport;
}

export interface SetupReport {
  readonly seconds: number;
  /** Of which generating and loading the history and writing the fixtures (one process per core). */
  readonly historySeconds: number;
  /** Of which the previous session's cycle. */
  readonly previousCycleSeconds: number;
  readonly dailyRows: number;
  readonly slotRows: number;
  readonly fixtureSlotRows: number;
  readonly fixtureMinuteRows: number;
}

/** The jobs split over one setup process per core, heavy ones first, so both finish about together. */
function splitJobs(jobs: readonly SetupJob[], workers: number): SetupJob[][] {
  const out: SetupJob[][] = Array.from({ length: workers }, () => []);
  const heavy = jobs.filter((job) => job.kind !== 'daily');
  const light = jobs.filter((job) => job.kind === 'daily');
  [...heavy, ...light].forEach((job, index) => out[index % workers]?.push(job));
  return out.filter((list) => list.length > 0);
}

/**
 * A fresh schema (migrated) and key prefix of the benchmark's own; the history loaded with the app's COPY
 * modules; the fixtures for the floor and the flat-file source; the fake Polygon server; then the previous
 * session's cycle, run once untimed, so the target run finds the tables and keys of "yesterday's" run.
 */
export async function setUpEnvironment(plan: MaintenancePlan, services: { databaseUrl: string; redisUrl: string }): Promise<BenchEnvironment> {
  const began = performance.now();
  const id = randomBytes(6).toString('hex');
  const target: BenchTarget = { ...services, schema: `bench_${id}`, prefix: `bench:${id}:`, universe: plan.universe, seed: plan.seed };
  const pool = createPool({ connectionString: target.databaseUrl, schema: target.schema, max: 4, applicationName: 'bench-maintenance' });
  const redis = new Redis(target.redisUrl, { maxRetriesPerRequest: 3 });
  const workDir = await mkdtemp(join(tmpdir(), 'bench-maintenance-'));
  const slotCsv = join(workDir, 'slots.csv');
  const flatFilesDir = join(workDir, 'flatfiles');
  let polygon: FakePolygon | null = null;
  const partial: Parameters<typeof tearDownEnvironment>[0] = { target, pool, redis, workDir, polygon };
  try {
    await migrate(pool, target.schema);
    benchLog('maintenance_setup_history', { schema: target.schema, prefix: target.prefix, daily_sessions: plan.dailyHistory.length, slot_sessions: plan.slotHistory.length });
    const jobs: SetupJob[] = [
      { kind: 'fixtures', target: plan.target, previous: plan.setupSession, paths: { slotCsv, flatFilesDir } },
      ...plan.slotHistory.map((date): SetupJob => ({ kind: 'slots', date })),
      ...plan.dailyHistory.map((date): SetupJob => ({ kind: 'daily', date })),
    ];
    const outputs = await Promise.all(
      splitJobs(jobs, availableParallelism()).map((list) => runChild<HistoryWorkerOutput>('history-worker.ts', { target, jobs: list } satisfies HistoryWorkerInput)),
    );
    const sum = (field: keyof HistoryWorkerOutput) => outputs.reduce((n, o) => n + o[field], 0);
    const historySeconds = (performance.now() - began) / 1000;

    // The upstream scanner's snapshot of the day: every ticker, as production has one.
    const symbols = new SyntheticMarketDataSource({ universeSize: plan.universe, seed: plan.seed }).symbols;
    const keys = createRedisKeys(target.prefix);
    await redis.set(
      keys.enrichedSnapshot,
      encodeMarketSnapshot({ count: symbols.length, tickers: symbols.map((ticker) => ({ ticker })), timestamp: new Date().toISOString() }),
    );

    polygon = await startFakePolygon(plan.universe, plan.seed);
    partial.polygon = polygon;
    benchLog('maintenance_setup_previous_cycle', { date: plan.setupSession, history_seconds: Math.round(historySeconds) });
    const previousBegan = performance.now();
    await runChild<RunMeasurement>('run-variant.ts', {
      target,
      variant: 'cycle-synthetic',
      date: plan.setupSession,
      trigger: 'bench-setup',
      polygon: { baseUrl: polygon.baseUrl, apiKey: polygon.apiKey },
      flatFilesDir,
      slotCsv,
      slotSample: plan.originalSlotSample,
      profile: false,
    } satisfies VariantInput);

    const previousCycleSeconds = (performance.now() - previousBegan) / 1000;
    await pool.query(`CREATE TABLE ${FLOOR_TABLE} (LIKE volume_slots INCLUDING ALL)`);
    const previousBars = await readDailyBars(pool, plan.setupSession);
    // The reference every run's slot rows are checked against: the fixture rows as psql loads them.
    await psqlCopy(target, slotCsv);
    const referenceSlots = await slotChecksum(pool, quoteIdent(FLOOR_TABLE));
    await pool.query(`TRUNCATE ${quoteIdent(FLOOR_TABLE)}`);
    return {
      plan,
      target,
      pool,
      redis,
      workDir,
      slotCsv,
      flatFilesDir,
      polygon,
      previousBars,
      referenceSlots,
      setup: {
        seconds: (performance.now() - began) / 1000,
        historySeconds,
        previousCycleSeconds,
        dailyRows: sum('dailyRows'),
        slotRows: sum('slotRows'),
        fixtureSlotRows: sum('fixtureSlotRows'),
        fixtureMinuteRows: sum('fixtureMinuteRows'),
      },
    };
  } catch (error) {
    await tearDownEnvironment(partial);
    throw error;
  }
}

/** Drops the schema, deletes every key of the prefix, removes the fixtures, stops the fake server. */
export async function tearDownEnvironment(env: Pick<BenchEnvironment, 'target' | 'pool' | 'redis' | 'workDir'> & { polygon: FakePolygon | null }): Promise<void> {
  try {
    await env.polygon?.stop();
    await env.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(env.target.schema)} CASCADE`);
    await unlinkKeys(env.redis, await scanKeys(env.redis, `${env.target.prefix}*`), 1000);
    await rm(env.workDir, { recursive: true, force: true });
  } finally {
    env.redis.disconnect();
    await env.pool.end();
  }
}

/** The target session's partition of volume_slots. */
export function targetPartition(env: BenchEnvironment): string {
  return quoteIdent(partitionName(env.plan.target));
}
