import { randomBytes } from 'node:crypto';
import type { Clock, IsoDate } from '@scanner/market-calendar';
import { type RedisKeys, createRedisKeys, encodeTradingDate } from '@scanner/redis-keys';
import { type RedisRole, type ScannerServer, createScannerServer, loadConfig, redisConnectionOptions } from '@scanner/websocket-server';
import { Redis } from 'ioredis';
import { type CapturedLogs, captureLogs } from './log-capture.js';
import { RecordingClient } from './redis-outage-client.js';
import { UpstreamWriter } from './redis-outage-upstream.js';
import { TcpProxy } from './tcp-proxy.js';

export const REDIS_HOST = '127.0.0.1';
export const REDIS_PORT = Number(process.env['REDIS_PORT'] ?? 6379);

/** Wednesday 2025-11-26, 10:00 New York: a full trading day. */
export const TRADING_DAY: IsoDate = '2025-11-26';
const DURING_SESSION = '2025-11-26T15:00:00.000Z';

/** Starts at a chosen instant, then runs in real time (timeouts and retries see real elapsed time). */
export function clockStartingAt(iso: string): Clock {
  const offset = Date.parse(iso) - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

export type ServerConnection = RedisRole;

export interface Readyz {
  readonly status: number;
  readonly body: { readonly ready: boolean; readonly redis: boolean; readonly subscriber: boolean; readonly stream: boolean };
}

/**
 * One scenario's world: a random key prefix, the test's own Redis connection (straight to Redis) with
 * the upstream writer on it, and an in-process WebSocket server whose three Redis connections each go
 * through a proxy of their own, so a fault can hit all of them or exactly one (the stream reader's).
 */
export class ServerWorld {
  readonly prefix = `test:${randomBytes(6).toString('hex')}:`;
  readonly keys: RedisKeys = createRedisKeys(this.prefix);
  readonly redis = new Redis({ host: REDIS_HOST, port: REDIS_PORT, maxRetriesPerRequest: 1 });
  readonly clock = clockStartingAt(DURING_SESSION);
  readonly upstream = new UpstreamWriter(this.redis, this.keys, () => this.clock.now().toISOString());
  readonly logs: CapturedLogs = captureLogs({ service: 'websocket-server' });
  private readonly clients: RecordingClient[] = [];
  private started: { server: ScannerServer; proxies: Record<ServerConnection, TcpProxy>; wsUrl: string; httpUrl: string } | null = null;

  /** Sets trading:current_day and starts the server; `env` overrides the test defaults. */
  async start(env: Record<string, string> = {}): Promise<void> {
    await this.redis.set(this.keys.tradingCurrentDay, encodeTradingDate(TRADING_DAY));
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_KEY_PREFIX: this.prefix,
      LOG_LEVEL: 'silent',
      STREAM_BLOCK_MS: '200',
      NEW_DAY_CHECK_INTERVAL_MS: '250',
      ...env,
    });
    const proxies: Record<ServerConnection, TcpProxy> = {
      commands: await TcpProxy.start({ targetHost: REDIS_HOST, targetPort: REDIS_PORT }),
      subscriber: await TcpProxy.start({ targetHost: REDIS_HOST, targetPort: REDIS_PORT }),
      stream: await TcpProxy.start({ targetHost: REDIS_HOST, targetPort: REDIS_PORT }),
    };
    // The options main.ts gives each connection: the production retry and timeout behaviour is under test.
    const connection = (role: ServerConnection) =>
      new Redis(proxies[role].redisUrl, { ...redisConnectionOptions(role), connectionName: `${this.prefix}${role}` });
    const server = createScannerServer({
      config,
      logger: this.logs.logger,
      clock: this.clock,
      redis: { commands: connection('commands'), subscriber: connection('subscriber'), stream: connection('stream') },
    });
    await server.start();
    const { port } = server.address();
    this.started = { server, proxies, wsUrl: `ws://127.0.0.1:${port}${config.wsPath}`, httpUrl: `http://127.0.0.1:${port}` };
  }

  get server(): ScannerServer {
    return this.running.server;
  }

  proxy(role: ServerConnection): TcpProxy {
    return this.running.proxies[role];
  }

  /** Redis is gone for the server: every connection reset, new ones refused. */
  cutAll(): void {
    for (const proxy of Object.values(this.running.proxies)) proxy.cut();
  }

  restoreAll(): void {
    for (const proxy of Object.values(this.running.proxies)) proxy.restore();
  }

  async readyz(): Promise<Readyz> {
    const res = await fetch(`${this.running.httpUrl}/readyz`);
    return { status: res.status, body: (await res.json()) as Readyz['body'] };
  }

  async connect(): Promise<RecordingClient> {
    const client = await RecordingClient.connect(this.running.wsUrl);
    this.clients.push(client);
    return client;
  }

  /** Log lines with this `event`. */
  events(event: string): Record<string, unknown>[] {
    return this.logs.lines().filter((line) => line['event'] === event);
  }

  async close(): Promise<void> {
    try {
      for (const client of this.clients) client.close();
      if (this.started !== null) {
        this.restoreAll();
        await this.started.server.stop();
        await Promise.all(Object.values(this.started.proxies).map((p) => p.close()));
      }
    } finally {
      await deleteKeysWithPrefix(this.redis, this.prefix);
      await this.redis.quit();
    }
  }

  private get running() {
    if (this.started === null) throw new Error('test bug: the server world was not started');
    return this.started;
  }
}

/** Deletes every key under the prefix (SCAN, never KEYS). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (found.length > 0) await redis.unlink(...found);
  } while (cursor !== '0');
}
