import { Redis } from 'ioredis';
import { nyseCalendar, systemClock } from '@scanner/market-calendar';
import { createRedisKeys } from '@scanner/redis-keys';
import { streamOutput } from './cli/cli-output.js';
import { EXIT } from './cli/exit-codes.js';
import { type OpenServices, errorText, runCli } from './cli/run-cli.js';
import { ServiceUnavailableError } from './cli/service-unavailable.js';
import type { MaintenanceConfig } from './config.js';
import { createPool } from './db/pool.js';
import { createLogger } from './logger.js';
import { createMarketDataSource } from './sources/create-source.js';
import { redactSourceConfig } from './sources/source-config.js';

// The composition root: `maintenance <command>` (tsx src/main.ts, or node dist/main.js).
// config -> logger -> clients -> command; the clients are closed when the command ends.

const calendar = nyseCalendar;
const clock = systemClock;

async function open(config: MaintenanceConfig): Promise<OpenServices> {
  const logger = createLogger(config.logLevel);
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
    { event: 'cli_started', source: redactSourceConfig(config.source), schema: config.database.schema, redis_prefix: config.redis.keyPrefix },
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

runCli({
  argv: process.argv.slice(2),
  env: process.env,
  clock,
  calendar,
  out: streamOutput(process.stdout),
  errorLine: (text) => process.stderr.write(`${text}\n`),
  open,
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`${errorText(error)}\n`);
    process.exitCode = EXIT.FAILED;
  })
  .finally(() => {
    // A stray handle (a retry timer in a client) must not keep a finished command alive.
    setTimeout(() => process.exit(), 2000).unref();
  });
