import { type CycleDeps, type MarketDataSource, createLogger, createMarketDataSource, createPool, loadConfig } from '@scanner/data-maintenance';
import { type IsoDate, ManualClock, newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import { createRedisKeys } from '@scanner/redis-keys';
import { Redis } from 'ioredis';
import type { BenchTarget } from './bench-target.js';

/** Which data source a cycle reads, and where it is. */
export type SourceSpec =
  | { readonly kind: 'synthetic' }
  | { readonly kind: 'polygon'; readonly baseUrl: string; readonly apiKey: string }
  | { readonly kind: 'flatfiles'; readonly dir: string };

/** Against the local fake server: the client's own cost, not a plan's rate limit (50/s would take minutes). */
export const BENCH_POLYGON_RPS = '10000';

export interface BenchCycle {
  readonly deps: CycleDeps;
  readonly source: MarketDataSource;
  close(): Promise<void>;
}

/**
 * The cycle's dependencies as the service builds them from its environment (src/config.ts defaults:
 * pool size, Redis chunk size, task settings), pointed at the benchmark's schema and key prefix, with
 * the clock standing at 18:00 New York on the session (the run is an hour after the 17:00 schedule).
 */
export function benchCycle(target: BenchTarget, spec: SourceSpec, session: IsoDate): BenchCycle {
  const sourceEnv: Record<string, string> =
    spec.kind === 'synthetic'
      ? { MARKET_DATA_SOURCE: 'synthetic', SYNTHETIC_UNIVERSE_SIZE: String(target.universe), SYNTHETIC_SEED: String(target.seed) }
      : spec.kind === 'polygon'
        ? { MARKET_DATA_SOURCE: 'polygon', POLYGON_BASE_URL: spec.baseUrl, POLYGON_API_KEY: spec.apiKey, POLYGON_RPS: BENCH_POLYGON_RPS }
        : { MARKET_DATA_SOURCE: 'flatfiles', FLATFILES_DIR: spec.dir };
  const config = loadConfig({
    DATABASE_URL: target.databaseUrl,
    PGSCHEMA: target.schema,
    REDIS_URL: target.redisUrl,
    REDIS_KEY_PREFIX: target.prefix,
    LOG_LEVEL: 'silent',
    ...sourceEnv,
  });
  const pool = createPool({ connectionString: config.database.url, schema: config.database.schema });
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 3 });
  const clock = new ManualClock(newYorkInstant(session, 18, 0));
  const source = createMarketDataSource(config.source, { calendar: nyseCalendar, clock });
  const deps: CycleDeps = {
    pool,
    redis,
    keys: createRedisKeys(config.redis.keyPrefix),
    source,
    calendar: nyseCalendar,
    clock,
    logger: createLogger(config.logLevel),
    settings: config.tasks,
    redisChunkSize: config.redis.chunkSize,
  };
  return {
    deps,
    source,
    async close() {
      await source.close();
      redis.disconnect();
      await pool.end();
    },
  };
}
