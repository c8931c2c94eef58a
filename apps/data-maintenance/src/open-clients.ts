import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock, TradingCalendar } from '@scanner/market-calendar';
import { createRedisKeys } from '@scanner/redis-keys';
import { ServiceUnavailableError } from './cli/service-unavailable.js';
import type { MaintenanceConfig } from './config.js';
import type { CycleDeps } from './cycle/run-cycle.js';
import { createPool } from './db/pool.js';
import { createLogger } from './logger.js';
import { createMarketDataSource } from './sources/create-source.js';
import { redactSourceConfig } from './sources/source-config.js';

/** The clients of a command or of the service, and how to close them so the process can exit on its own. */
export interface OpenClients {
  readonly deps: CycleDeps;
  close(): Promise<void>;
}

export interface ClientEnvironment {
  readonly clock: Clock;
  readonly calendar: TradingCalendar;
  /** The event logged once the clients are built: `cli_started`, `service_starting`. */
  readonly startEvent: string;
}

/**
 * Builds the logger, the PostgreSQL pool, the Redis client and the market data source from the config,
 * and checks that both services answer; an unreachable one is a ServiceUnavailableError (its URL without
 * the password), with everything already opened closed again.
 */
export async function openClients(config: MaintenanceConfig, environment: ClientEnvironment): Promise<OpenClients> {
  const { clock, calendar } = environment;
  const logger: Logger = createLogger(config.logLevel);
  const pool = createPool({
    connectionString: config.database.url,
    schema: config.database.schema,
    onIdleClientError: (error) => logger.error({ event: 'postgres_idle_client_error', err: error }, 'idle PostgreSQL client failed'),
  });
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 3, lazyConnect: true });
  redis.on('error', (error: Error) => logger.warn({ event: 'redis_error', err: error }, 'Redis connection error'));
  const source = createMarketDataSource(config.source, { calendar, clock });
  const close = async () => {
    await Promise.allSettled([source.close(), redis.quit(), pool.end()]);
  };
  logger.info(
    { event: environment.startEvent, source: redactSourceConfig(config.source), schema: config.database.schema, redis_prefix: config.redis.keyPrefix },
    'starting',
  );
  try {
    await redis.connect();
  } catch (error) {
    await close();
    throw new ServiceUnavailableError('REDIS_UNAVAILABLE', 'Redis', config.redis.url, error);
  }
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await close();
    throw new ServiceUnavailableError('DATABASE_UNAVAILABLE', 'PostgreSQL', config.database.url, error);
  }
  return {
    deps: {
      pool,
      redis,
      keys: createRedisKeys(config.redis.keyPrefix),
      source,
      calendar,
      clock,
      logger,
      settings: config.tasks,
      redisChunkSize: config.redis.chunkSize,
    },
    close,
  };
}
