import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, type IsoDate, type TradingCalendar, nyseCalendar, systemClock } from '@scanner/market-calendar';
import { createRedisKeys, decodeRankingStreamEntry } from '@scanner/redis-keys';
import { CLOSE_CODES, encodeNewDay } from '@scanner/shared-types';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { ServerConfig } from './config.js';
import { DayKeeper, type NewDaySource } from './app/day-keeper.js';
import { ListHub } from './app/list-hub.js';
import type { ClearCache } from './adapters/http/clear-cache-route.js';
import { type Readiness, createHttpRoutes } from './adapters/http/http-routes.js';
import { ServerMetrics } from './adapters/http/server-metrics.js';
import { createDemoRoutes } from './adapters/http/static-files.js';
import { LastSnapshots } from './adapters/memory/last-snapshots.js';
import { readCurrentDay } from './adapters/redis/current-day-reader.js';
import { NewDayWatcher } from './adapters/redis/new-day-subscriber.js';
import { redisListLoader } from './adapters/redis/snapshot-loader.js';
import { StreamReader } from './adapters/redis/stream-reader.js';
import { Broadcaster } from './adapters/ws/broadcaster.js';
import { ClientRegistry } from './adapters/ws/client-registry.js';
import { ConnectionHandler } from './adapters/ws/connection-handler.js';
import { frameOf } from './adapters/ws/frame.js';
import { pingClients } from './adapters/ws/heartbeat.js';
import { isLagging } from './core/slow-consumer.js';
import { createTokenVerifier } from './adapters/ws/token-verifier.js';
import { createUpgradeHandler } from './adapters/ws/upgrade-handler.js';

/** The three connections a server needs; it takes ownership and closes them in stop(). */
export interface ServerRedis {
  /** GET/MGET: snapshots and trading:current_day. */
  readonly commands: Redis;
  /** Subscriber mode, trading:new_day only. */
  readonly subscriber: Redis;
  /** XREAD BLOCK holds it: nothing else may share it. */
  readonly stream: Redis;
}

export interface ScannerServerDeps {
  readonly config: ServerConfig;
  readonly logger: Logger;
  readonly redis: ServerRedis;
  readonly clock?: Clock;
  readonly calendar?: TradingCalendar;
}

export interface ClientStats {
  readonly id: string;
  readonly bufferedAmount: number;
  readonly lagging: boolean;
  readonly lists: readonly string[];
}

export interface ScannerServer {
  start(): Promise<void>;
  /** Stops accepting, closes every client with 1001, stops reading Redis and closes the connections. */
  stop(): Promise<void>;
  address(): AddressInfo;
  readonly metrics: ServerMetrics;
  readonly epoch: IsoDate | null;
  readiness(): Readiness;
  clients(): ClientStats[];
}

/** Wires one server instance; nothing is global, so tests run two in one process. */
export function createScannerServer(deps: ScannerServerDeps): ScannerServer {
  const { config, logger, redis } = deps;
  const clock = deps.clock ?? systemClock;
  const calendar = deps.calendar ?? nyseCalendar;
  const keys = createRedisKeys(config.redisKeyPrefix);
  const metrics = new ServerMetrics();
  const registry = new ClientRegistry(metrics);
  const cache = new LastSnapshots(config.snapshotCacheMax);
  metrics.measureCachedLists(() => cache.size);
  const broadcaster = new Broadcaster(registry, cache, clock, config.slowClient, metrics);

  /**
   * Drops every held list and every client's position in it, so each list's next update reaches each
   * client as a snapshot. Called only after `listHub` below exists (a day can only advance, and the
   * HTTP route only answer, once start() has run).
   */
  const dropLists = (): number => {
    const cleared = listHub.clear();
    for (const client of registry.all()) client.subscriptions.resetSequences();
    return cleared;
  };
  const onNewDay = (epoch: IsoDate, source: NewDaySource) => {
    const cleared = dropLists();
    const frame = frameOf('new_day', encodeNewDay({ epoch, date: epoch }));
    let notified = 0;
    for (const client of registry.all()) if (client.send(frame)) notified++;
    metrics.newDayApplied.labels(source).inc();
    logger.info({ event: 'cache_cleared_for_new_day', epoch, source, caches_cleared: cleared, clients_notified: notified });
  };
  const day = new DayKeeper({ clock, calendar, logger, readCurrentDay: () => readCurrentDay(redis.commands, keys), onNewDay });
  const listHub: ListHub = new ListHub({ cache, loader: redisListLoader(redis.commands, keys), broadcaster, registry, day, clock, calendar, metrics, logger });

  const connections = new ConnectionHandler({
    registry,
    hub: listHub,
    cache,
    day,
    clock,
    metrics,
    logger,
    maxSubscriptions: config.limits.maxSubscriptionsPerConnection,
    rateLimits: {
      ratePerSecond: config.limits.messageRatePerSecond,
      burst: config.limits.messageRateBurst,
      maxViolations: config.limits.rateLimitMaxViolations,
      windowMs: config.limits.rateLimitWindowMs,
    },
  });

  const streamReader = new StreamReader({
    redis: redis.stream,
    key: keys.rankingDeltas,
    blockMs: config.streamBlockMs,
    count: config.streamReadCount,
    yieldEvery: config.streamYieldEvery,
    logger,
    onLoss: () => {
      metrics.streamEntries.labels('lost').inc();
      day.ensureEpoch().then(
        () => listHub.reloadAll(),
        (error: unknown) => logger.error({ event: 'stream_loss_reload_failed', err: error }),
      );
    },
    onEntry: async (id, fields) => {
      const decoded = decodeRankingStreamEntry(fields);
      if (!decoded.ok) {
        metrics.streamEntriesInvalid.labels(decoded.error.code).inc();
        logger.warn({ event: 'stream_entry_invalid', id, code: decoded.error.code, message: decoded.error.message });
        return;
      }
      await day.ensureEpoch();
      listHub.handleEntry(decoded.value);
    },
  });

  const newDayWatcher = new NewDayWatcher({
    subscriber: redis.subscriber,
    commands: redis.commands,
    keys,
    day,
    intervalMs: config.newDayCheckIntervalMs,
    metrics,
    logger,
  });

  const clearCache: ClearCache = async ({ date }) => {
    if (date !== null) {
      const result = day.apply(date, 'http');
      return { result, epoch: day.epoch };
    }
    await day.check('http').catch(() => undefined);
    const cleared = dropLists();
    logger.info({ event: 'cache_cleared_manually', caches_cleared: cleared, epoch: day.epoch });
    return { result: 'cleared', epoch: day.epoch };
  };

  const readiness = (): Readiness => {
    const redisUp = redis.commands.status === 'ready';
    const subscriberUp = redis.subscriber.status === 'ready';
    const stream = streamReader.healthy;
    return { ready: redisUp && subscriberUp && stream && day.epoch !== null, redis: redisUp, subscriber: subscriberUp, stream, epoch: day.epoch };
  };

  let accepting = false;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.limits.maxPayloadBytes, perMessageDeflate: false, clientTracking: false });
  const httpServer: Server = createServer(
    createHttpRoutes({
      metrics,
      readiness,
      clearCacheToken: config.clearCacheToken,
      clearCache,
      logger,
      ...(config.demo.enabled
        ? { demo: createDemoRoutes({ dir: config.demo.dir, wsPath: config.wsPath, authRequired: config.auth.kind !== 'none', logger }) }
        : {}),
    }),
  );
  httpServer.on(
    'upgrade',
    createUpgradeHandler({
      wss,
      path: config.wsPath,
      maxConnections: config.limits.maxConnections,
      connectionCount: () => registry.size,
      accepting: () => accepting,
      verifier: createTokenVerifier(config.auth, clock),
      metrics,
      logger,
      onConnection: (socket, identity) => connections.accept(socket, identity),
    }),
  );

  for (const [role, client] of Object.entries(redis)) {
    client.on('error', (error: Error) => logger.warn({ event: 'redis_error', role, message: error.message }));
  }

  const timers: NodeJS.Timeout[] = [];
  let stopping: Promise<void> | null = null;

  return {
    metrics,
    get epoch() {
      return day.epoch;
    },
    readiness,
    address() {
      const address = httpServer.address();
      if (address === null || typeof address === 'string') throw new Error('the server is not listening');
      return address;
    },
    clients() {
      return [...registry.all()].map((c) => ({ id: c.id, bufferedAmount: c.bufferedAmount, lagging: isLagging(c.slow), lists: c.subscriptions.lists() }));
    },

    async start() {
      await newDayWatcher.start();
      try {
        await day.check('startup');
      } catch (error) {
        // Not fatal: /readyz says not ready, and the first subscriber or stream entry tries again.
        logger.error({ event: 'current_day_check_failed', trigger: 'startup', err: error });
      }
      streamReader.start();
      timers.push(setInterval(() => pingClients(registry, metrics), config.pingIntervalMs));
      timers.push(setInterval(() => broadcaster.sweep(), config.slowClient.checkIntervalMs));
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
      accepting = true;
      const { port } = httpServer.address() as AddressInfo;
      logger.info({ event: 'server_started', port, host: config.host, ws_path: config.wsPath, epoch: day.epoch, auth: config.auth.kind, demo: config.demo.enabled });
    },

    stop() {
      stopping ??= (async () => {
        accepting = false;
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        for (const timer of timers) clearInterval(timer);
        newDayWatcher.stop();
        const clientCount = registry.size;
        for (const client of registry.all()) client.close(CLOSE_CODES.GOING_AWAY, 'server shutting down', 'shutdown');
        // Clients answer the close frame at once; one that does not within the grace is cut off.
        const graceMs = Math.min(2_000, Math.floor(config.shutdownTimeoutMs / 2));
        for (let waited = 0; registry.size > 0 && waited < graceMs; waited += 20) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        for (const client of registry.all()) client.socket.terminate();
        await streamReader.stop();
        await Promise.allSettled(
          [redis.commands, redis.subscriber].map((client) =>
            Promise.race([client.quit(), new Promise((resolve) => setTimeout(resolve, 1_000))]).finally(() => client.disconnect()),
          ),
        );
        httpServer.closeAllConnections();
        await closed;
        logger.info({ event: 'server_stopped', clients_closed: clientCount });
      })();
      return stopping;
    },
  };
}
