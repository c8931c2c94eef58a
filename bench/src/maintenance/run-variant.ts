import { SyntheticMarketDataSource, createPool, loadConfig, replaceVolumeSlots } from '@scanner/data-maintenance';
import { type IsoDate, nyseCalendar } from '@scanner/market-calendar';
import type { MaintenanceTaskName } from '@scanner/shared-types';
import { createRedisKeys } from '@scanner/redis-keys';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { BenchTarget } from './bench-target.js';
import { childMain } from './child-process.js';
import { type SourceSpec, benchCycle } from './cycle-deps.js';
import { summarizeProfile } from '../ws/cpu-profile.js';
import { REPO_ROOT } from '../ws/node-args.js';
import { measureFloors } from './floors.js';
import { measuredCycle } from './measured-cycle.js';
import { type RunMeasurement, SOURCE_TASKS, type Variant } from './measurement.js';
import { runOriginal } from './original-method/run-original.js';

export interface VariantInput {
  readonly target: BenchTarget;
  readonly variant: Variant;
  readonly date: IsoDate;
  /** Recorded in the ledger: `bench` for measured runs, `bench-setup` for the untimed one. */
  readonly trigger: string;
  readonly polygon: { readonly baseUrl: string; readonly apiKey: string };
  readonly flatFilesDir: string;
  readonly slotCsv: string;
  readonly slotSample: readonly [number, number] | null;
  /** An unmeasured run under the CPU profiler (each task of a cycle, or the floors' replaceVolumeSlots). */
  readonly profile: boolean;
}

function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

async function cycle(input: VariantInput, spec: SourceSpec, tasks: readonly MaintenanceTaskName[] | null): Promise<RunMeasurement> {
  const bench = benchCycle(input.target, spec, input.date);
  try {
    const measured = await measuredCycle(bench.deps, input.date, { trigger: input.trigger, tasks, profile: input.profile });
    const requests = bench.source.stats?.().requests;
    return {
      variant: input.variant,
      totalSeconds: measured.totalSeconds,
      maxRssBytes: maxRssBytes(),
      tasks: measured.tasks,
      extra: requests === undefined ? {} : { http_requests: requests },
    };
  } finally {
    await bench.close();
  }
}

async function original(input: VariantInput): Promise<RunMeasurement> {
  const { target } = input;
  // The seed held one connection; the app's pool is only used for the untimed rest of a sampled slot load.
  const db = new pg.Client({ connectionString: target.databaseUrl, options: `-c search_path=${target.schema}`, application_name: 'bench-original' });
  const pool = createPool({ connectionString: target.databaseUrl, schema: target.schema, max: 2, applicationName: 'bench-original-rest' });
  const redis = new Redis(target.redisUrl, { maxRetriesPerRequest: 3 });
  await db.connect();
  try {
    const run = await runOriginal(
      {
        db,
        redis,
        keys: createRedisKeys(target.prefix),
        source: new SyntheticMarketDataSource({ universeSize: target.universe, seed: target.seed, calendar: nyseCalendar }),
        calendar: nyseCalendar,
        settings: loadConfig({ MARKET_DATA_SOURCE: 'synthetic' }).tasks,
        slotSample: input.slotSample,
        loadRemainingSlots: async (date, rows) => {
          if (rows.length > 0) await replaceVolumeSlots(pool, date, rows, { scope: 'symbols', calendar: nyseCalendar });
        },
      },
      input.date,
    );
    return { variant: 'original', totalSeconds: run.totalSeconds, maxRssBytes: maxRssBytes(), tasks: run.tasks, extra: run.extra };
  } finally {
    await db.end();
    await pool.end();
    redis.disconnect();
  }
}

async function floors(input: VariantInput): Promise<RunMeasurement> {
  const { target } = input;
  const pool = createPool({ connectionString: target.databaseUrl, schema: target.schema, applicationName: 'bench-floors' });
  const redis = new Redis(target.redisUrl, { maxRetriesPerRequest: 3 });
  try {
    const { times, profile } = await measureFloors(target, pool, redis, input.date, input.slotCsv, input.profile);
    return {
      variant: 'floors',
      totalSeconds: times.copySeconds + times.appLoadSeconds + times.pipelineSeconds + times.appRedisSeconds,
      maxRssBytes: maxRssBytes(),
      tasks: [],
      extra: {
        copy_seconds: times.copySeconds,
        copy_rows: times.copyRows,
        app_load_seconds: times.appLoadSeconds,
        app_load_rows: times.appLoadRows,
        app_load_peak_rss_bytes: times.appLoadPeakRssBytes,
        pipeline_seconds: times.pipelineSeconds,
        app_redis_seconds: times.appRedisSeconds,
        redis_keys: times.redisKeys,
      },
      ...(profile === null ? {} : { profile: summarizeProfile(profile, REPO_ROOT) }),
    };
  } finally {
    redis.disconnect();
    await pool.end();
  }
}

/** One measured run in this process: a cycle from one source, the original method, or the floors. */
function run(input: VariantInput): Promise<RunMeasurement> {
  switch (input.variant) {
    case 'cycle-synthetic':
      return cycle(input, { kind: 'synthetic' }, null);
    case 'cycle-polygon':
      return cycle(input, { kind: 'polygon', ...input.polygon }, SOURCE_TASKS);
    case 'cycle-flatfiles':
      return cycle(input, { kind: 'flatfiles', dir: input.flatFilesDir }, SOURCE_TASKS);
    case 'original':
      return original(input);
    case 'floors':
      return floors(input);
  }
}

childMain(run);
