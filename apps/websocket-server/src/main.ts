import { systemClock } from '@scanner/market-calendar';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { type RedisRole, redisConnectionOptions } from './adapters/redis/connection-options.js';
import { createScannerServer } from './server.js';

const bootLogger = pino({ base: { service: 'websocket-server' } });

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  bootLogger.fatal({ event: 'config_invalid', issues: error.issues }, error.message);
  process.exit(1);
}

const logger = pino({ level: config.logLevel, base: { service: 'websocket-server' } });

const redisFor = (role: RedisRole) => new Redis(config.redisUrl, redisConnectionOptions(role, config.redisCommandTimeoutMs));

const server = createScannerServer({
  config,
  logger,
  clock: systemClock,
  redis: { commands: redisFor('commands'), subscriber: redisFor('subscriber'), stream: redisFor('stream') },
});

let shuttingDown = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ event: 'shutdown_started', signal, timeout_ms: config.shutdownTimeoutMs });
  const timer = setTimeout(() => {
    logger.error({ event: 'shutdown_timed_out', timeout_ms: config.shutdownTimeoutMs });
    process.exit(1);
  }, config.shutdownTimeoutMs);
  timer.unref();
  server.stop().then(
    () => {
      logger.info({ event: 'shutdown_completed' });
      process.exit(0);
    },
    (error: unknown) => {
      logger.error({ event: 'shutdown_failed', err: error });
      process.exit(1);
    },
  );
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

try {
  await server.start();
} catch (error) {
  logger.fatal({ event: 'server_start_failed', err: error });
  process.exit(1);
}
