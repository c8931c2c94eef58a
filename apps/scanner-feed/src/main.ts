import { nyseCalendar, systemClock } from '@scanner/market-calendar';
import { createRedisKeys } from '@scanner/redis-keys';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createRedisWriter } from './adapters/redis-writer.js';
import { ConfigError, type FeedConfig, USAGE, loadConfig, wantsHelp } from './config.js';
import { createFeed } from './feed.js';
import { runFeed } from './run-loop.js';

const EXIT_BAD_ARGUMENTS = 2;

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let config: FeedConfig;
  try {
    config = loadConfig(process.env, argv);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`scanner-feed: ${error.message}\n\n${USAGE}\n`);
    return EXIT_BAD_ARGUMENTS;
  }

  const logger = pino({ level: config.logLevel, base: { service: 'scanner-feed' } });
  // A tick whose write cannot reach Redis fails within a second or so instead of queueing behind
  // twenty reconnect attempts: the loop logs it and the next tick writes snapshots.
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  redis.on('error', (err: Error) => logger.warn({ event: 'redis_error', message: err.message }, 'redis connection error'));
  const keys = createRedisKeys(config.redisKeyPrefix);
  const feed = createFeed({
    writer: createRedisWriter({ redis, keys, streamMaxLen: config.streamMaxLen }),
    clock: systemClock,
    calendar: nyseCalendar,
    lists: config.lists,
    rowsPerList: config.rowsPerList,
    universeSize: config.universeSize,
    seed: config.seed,
    restartEvery: config.restartEvery,
    logger,
  });

  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      logger.warn({ event: 'feed_forced_exit', signal }, 'second signal: exiting now');
      process.exit(1);
    }
    logger.info({ event: 'feed_stopping', signal }, 'stopping after the current tick');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  logger.info(
    {
      event: 'feed_started',
      synthetic: true,
      prefix: keys.prefix,
      lists: config.lists.length,
      rows_per_list: config.rowsPerList,
      universe: config.universeSize,
      seed: config.seed,
      cadence_ms: config.cadenceMs,
      stream_max_len: config.streamMaxLen,
      ticks: config.ticks,
      restart_every: config.restartEvery,
    },
    'synthetic scanner feed started',
  );
  const ticks = await runFeed({ feed, clock: systemClock, cadenceMs: config.cadenceMs, ticks: config.ticks, signal: stop.signal, logger });
  // QUIT waits for Redis; a Redis that is down must not keep the process from exiting.
  await Promise.race([redis.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000))]);
  redis.disconnect();
  logger.info({ event: 'feed_stopped', ticks }, 'synthetic scanner feed stopped');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`scanner-feed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
