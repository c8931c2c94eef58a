import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import {
  type HashReplacement,
  type StringReplacement,
  atrEntries,
  averagesBySymbol,
  loadConfig,
  metadataEntries,
  readAverages,
  readLatestAtr,
  readMetadata,
  replaceHashes,
  replaceStrings,
  replaceVolumeSlots,
  rvolEntries,
  scanKeys,
  unlinkKeys,
} from '@scanner/data-maintenance';
import { type IsoDate, nyseCalendar } from '@scanner/market-calendar';
import { createRedisKeys } from '@scanner/redis-keys';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { BenchError } from '../report/bench-error.js';
import { startRssSampler } from '../report/rss-sampler.js';
import type { BenchTarget } from './bench-target.js';
import type { CpuProfile } from '../ws/cpu-profile.js';
import { SLOT_CSV_COLUMNS, parseSlotCsv } from './session-fixtures.js';
import { withCpuProfile } from './with-cpu-profile.js';

/** The empty table of volume_slots' shape the `psql \copy` floor loads into. */
export const FLOOR_TABLE = 'floor_volume_slots';
/** The TTL both Redis writes give their keys (one day, like the caches). */
const FLOOR_TTL_SECONDS = 86_400;

export interface FloorTimes {
  /** `psql \copy` of the slot CSV into the empty floor table: the spawned psql, from start to exit. */
  readonly copySeconds: number;
  readonly copyRows: number;
  /** The app's replaceVolumeSlots of the same rows into the session's empty partition. */
  readonly appLoadSeconds: number;
  readonly appLoadRows: number;
  readonly appLoadPeakRssBytes: number;
  /** One pipeline of HSET/SET+EXPIRE for the 36,000 per-ticker cache keys, sent at once. */
  readonly pipelineSeconds: number;
  /** The app's replaceHashes/replaceStrings (tmp key + RENAME, MULTI per chunk) of the same keys. */
  readonly appRedisSeconds: number;
  readonly redisKeys: number;
}

/** `psql \\copy` of the slot CSV into the floor table; resolves with the rows psql reports copied. */
export function psqlCopy(target: BenchTarget, csvPath: string): Promise<number> {
  const table = `"${target.schema}".${FLOOR_TABLE}`;
  const command = `\\copy ${table} (${SLOT_CSV_COLUMNS.join(', ')}) FROM '${csvPath}' WITH (FORMAT csv)`;
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [target.databaseUrl, '-X', '-v', 'ON_ERROR_STOP=1', '-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const copied = /COPY (\d+)/.exec(output);
      if (code !== 0 || copied === null) reject(new BenchError('RUN_FAILED', `psql \\copy failed (exit ${code}): ${output.trim()}`));
      else resolve(Number(copied[1]));
    });
  });
}

async function cacheEntries(pool: pg.Pool, prefix: string): Promise<{ hashes: HashReplacement[]; strings: StringReplacement[] }> {
  const keys = createRedisKeys(prefix);
  const atr = atrEntries(keys, (await readLatestAtr(pool)).values());
  const rvol = [...(await readAverages(pool)).values()].flat();
  const hashes = [...atr, ...rvolEntries(keys, averagesBySymbol(rvol))];
  const strings = metadataEntries(keys, (await readMetadata(pool)).values());
  return { hashes, strings };
}

async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  await unlinkKeys(redis, await scanKeys(redis, `${prefix}*`), 1000);
}

/**
 * The floors, each next to the app's code doing the same job on the same data: the slot rows by `psql
 * \copy` and by replaceVolumeSlots, the per-ticker cache keys by one bulk pipeline and by the app's
 * replace functions. The cache values are the ones the cycle wrote (built from the tables with the
 * app's builders), under a prefix of their own that is removed afterwards.
 */
export async function measureFloors(
  target: BenchTarget,
  pool: pg.Pool,
  redis: Redis,
  date: IsoDate,
  csvPath: string,
  profile: boolean,
): Promise<{ readonly times: FloorTimes; readonly profile: CpuProfile | null }> {
  const rows = parseSlotCsv(await readFile(csvPath, 'utf8'));

  let began = performance.now();
  const copyRows = await psqlCopy(target, csvPath);
  const copySeconds = (performance.now() - began) / 1000;

  const rss = startRssSampler();
  began = performance.now();
  const load = () => replaceVolumeSlots(pool, date, rows, { calendar: nyseCalendar });
  const profiled = profile ? await withCpuProfile(load) : null;
  const loaded = profiled?.result ?? (await load());
  const appLoadSeconds = (performance.now() - began) / 1000;
  const appLoadPeakRssBytes = rss.stop();

  const floorPrefix = `${target.prefix}floor:`;
  const appPrefix = `${target.prefix}floor-app:`;
  const floor = await cacheEntries(pool, floorPrefix);
  const app = await cacheEntries(pool, appPrefix);

  began = performance.now();
  const pipeline = redis.pipeline();
  for (const { key, fields } of floor.hashes) pipeline.hset(key, fields).expire(key, FLOOR_TTL_SECONDS);
  for (const { key, value } of floor.strings) pipeline.set(key, value, 'EX', FLOOR_TTL_SECONDS);
  const replies = await pipeline.exec();
  const pipelineSeconds = (performance.now() - began) / 1000;
  const failed = replies?.find(([error]) => error !== null);
  if (replies === null || failed !== undefined) throw new BenchError('RUN_FAILED', `the floor pipeline failed: ${failed?.[0]?.message ?? 'aborted'}`);

  // The service's default chunk (REDIS_PIPELINE_CHUNK), as the cycle uses it.
  const chunkSize = loadConfig({ MARKET_DATA_SOURCE: 'synthetic' }).redis.chunkSize;
  const options = { keys: createRedisKeys(appPrefix), ttlSeconds: FLOOR_TTL_SECONDS, token: `bench${process.pid}`, chunkSize };
  began = performance.now();
  await replaceHashes(redis, app.hashes, options);
  await replaceStrings(redis, app.strings, options);
  const appRedisSeconds = (performance.now() - began) / 1000;

  await dropPrefix(redis, floorPrefix);
  await dropPrefix(redis, appPrefix);
  return {
    times: {
      copySeconds,
      copyRows,
      appLoadSeconds,
      appLoadRows: loaded.inserted,
      appLoadPeakRssBytes,
      pipelineSeconds,
      appRedisSeconds,
      redisKeys: floor.hashes.length + floor.strings.length,
    },
    profile: profiled?.profile ?? null,
  };
}
