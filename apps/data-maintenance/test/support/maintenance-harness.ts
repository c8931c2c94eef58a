import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { ManualClock, type TradingCalendar, newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import { type RedisKeys, createRedisKeys } from '@scanner/redis-keys';
import { type TaskSettings, loadConfig } from '../../src/config.js';
import type { CycleDeps } from '../../src/cycle/run-cycle.js';
import type { TaskContext } from '../../src/tasks/task-context.js';
import { scanKeys, unlinkKeys } from '../../src/redis/scan-keys.js';
import type { MarketDataSource } from '../../src/sources/market-data-source.js';
import { SyntheticMarketDataSource } from '../../src/sources/synthetic/synthetic-source.js';
import { type TestDatabase, createTestDatabase, tableChecksum } from './test-database.js';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** The config defaults, as the tasks get them in production (read from src/config.ts, not restated). */
const DEFAULT_SETTINGS: TaskSettings = loadConfig({ MARKET_DATA_SOURCE: 'synthetic' }).tasks;

export interface Harness {
  readonly db: TestDatabase;
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly clock: ManualClock;
  readonly source: MarketDataSource;
  readonly deps: CycleDeps;
  /** What a task gets when the cycle runs it (the deps plus a temporary-key token). */
  readonly ctx: TaskContext;
  /** Deletes every key of the prefix, drops the schema, closes the clients. */
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly source?: MarketDataSource;
  readonly universeSize?: number;
  /** Where the clock stands: default 18:00 New York on `evening`. */
  readonly evening?: string;
  readonly settings?: Partial<TaskSettings>;
  readonly calendar?: TradingCalendar;
}

/** A real PostgreSQL schema and a real Redis prefix of its own, with the synthetic source by default. */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = await createTestDatabase({ max: 8 });
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
  const keys = createRedisKeys(`test:${randomBytes(6).toString('hex')}:`);
  const clock = new ManualClock(newYorkInstant(options.evening ?? '2026-11-20', 18, 0));
  const source = options.source ?? new SyntheticMarketDataSource({ universeSize: options.universeSize ?? 10, seed: 7 });
  const deps: CycleDeps = {
    pool: db.pool,
    redis,
    keys,
    source,
    calendar: options.calendar ?? nyseCalendar,
    clock,
    logger: pino({ level: 'silent' }),
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
    redisChunkSize: 50,
  };
  return {
    db,
    redis,
    keys,
    clock,
    source,
    deps,
    ctx: { ...deps, runToken: `test-${randomBytes(4).toString('hex')}` },
    async close() {
      try {
        await deleteKeysWithPrefix(redis, keys.prefix);
        await source.close();
      } finally {
        redis.disconnect();
        await db.drop();
      }
    },
  };
}

export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  await unlinkKeys(redis, await scanKeys(redis, `${prefix}*`), 500);
}

/** Sets the clock to `hour:minute` New York on `date`. */
export function standAt(clock: ManualClock, date: string, hour = 18, minute = 0): void {
  clock.set(newYorkInstant(date, hour, minute));
}

/** The data tables the cycle writes (the ledger and schema_migrations are left out: they record when, not what). */
export const DATA_TABLES: ReadonlyArray<readonly [table: string, orderBy: string]> = [
  ['market_data_daily', 'symbol, date'],
  ['volume_slots', 'symbol, date, slot_number'],
  ['atr_daily', 'symbol, date'],
  ['volume_slot_averages', 'symbol, slot_number'],
  ['ticker_metadata', 'symbol'],
];

export async function dataChecksums(db: TestDatabase): Promise<Record<string, { rows: number; md5: string }>> {
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const [table, orderBy] of DATA_TABLES) out[table] = await tableChecksum(db.pool, table, orderBy);
  return out;
}

export interface KeyDump {
  readonly type: string;
  readonly value: unknown;
  /** Seconds to live, -1 without a TTL. */
  readonly ttl: number;
}

/**
 * Every key under the prefix (prefix stripped, so two harnesses compare), with its type, value and TTL.
 * `maintenance:status:<date>` is reduced to what the run did (date, all_success, each task's status and
 * counts): its started/finished instants, durations and attempt numbers record *when* and *how often* it
 * ran, and its Redis details say why a write was skipped, which legitimately differs between a first run
 * and a re-run; none of that is data a reader of the caches sees.
 */
export async function dumpKeys(redis: Redis, prefix: string): Promise<Map<string, KeyDump>> {
  const dump = new Map<string, KeyDump>();
  const found = (await scanKeys(redis, `${prefix}*`)).sort();
  for (const key of found) {
    const name = key.slice(prefix.length);
    const type = await redis.type(key);
    const ttl = await redis.ttl(key);
    let value: unknown;
    if (type === 'string') value = await redis.get(key);
    else if (type === 'hash') value = Object.fromEntries(Object.entries(await redis.hgetall(key)).sort(([a], [b]) => a.localeCompare(b)));
    else if (type === 'set') value = (await redis.smembers(key)).sort();
    else value = `<${type}>`;
    if (name.startsWith('maintenance:status:') && typeof value === 'string') value = reduceStatus(value);
    dump.set(name, { type, value, ttl });
  }
  return dump;
}

function reduceStatus(text: string): unknown {
  const record = JSON.parse(text) as { date: string; all_success: boolean; tasks: Record<string, { status: string; counts?: unknown }> };
  return {
    date: record.date,
    all_success: record.all_success,
    tasks: Object.fromEntries(Object.entries(record.tasks).map(([t, r]) => [t, { status: r.status, counts: r.counts }])),
  };
}

/** The dump without TTLs (compared separately: Redis counts them down in real time). */
export function withoutTtl(dump: ReadonlyMap<string, KeyDump>): Record<string, { type: string; value: unknown; hasTtl: boolean }> {
  return Object.fromEntries([...dump].map(([k, d]) => [k, { type: d.type, value: d.value, hasTtl: d.ttl >= 0 }]));
}
