import type { IsoDate } from '@scanner/market-calendar';
import { type RedisKeys, createRedisKeys } from '@scanner/redis-keys';
import { type RedisRole, type ScannerServer, createScannerServer, loadConfig, redisConnectionOptions } from '@scanner/websocket-server';
import { DURING_SESSION } from '@scanner/websocket-server/testing/clock';
import { REDIS_URL, clientIdByName, deleteKeysWithPrefix, randomPrefix, redisClient } from '@scanner/websocket-server/testing/redis';
import { FakeUpstream } from '@scanner/websocket-server/testing/upstream';
import { Redis, type RedisOptions } from 'ioredis';
import { pino } from 'pino';
import { CheckedClient } from './checked-ws-client.js';
import { JumpingClock } from './jumping-clock.js';
import { type CapturedLogs, captureLogs } from './log-capture.js';
import { TcpProxy } from './tcp-proxy.js';

export { REDIS_URL };
const redisAddress = new URL(REDIS_URL);
export const REDIS_HOST = redisAddress.hostname;
export const REDIS_PORT = Number(redisAddress.port === '' ? 6379 : redisAddress.port);

/** Wednesday 2025-11-26: a full trading day. */
export const TRADING_DAY: IsoDate = '2025-11-26';
export { DURING_SESSION };

export interface RunningServer {
  readonly server: ScannerServer;
  readonly logs: CapturedLogs;
  readonly wsUrl: string;
  readonly httpUrl: string;
  /** CLIENT SETNAME of each of the server's Redis connections: CLIENT KILL targets only this server's. */
  readonly connectionNames: Readonly<Record<RedisRole, string>>;
  /** The proxy in front of each Redis connection, when started with `proxied`. */
  readonly proxies: Readonly<Record<RedisRole, TcpProxy>> | null;
}

export interface StartOptions {
  /** Config variables on top of the defaults (port 0, the world's prefix, a short stream block). */
  readonly env?: Record<string, string>;
  /**
   * Reconnect delay of the server's subscriber connection. The default (ioredis: 50 ms and up) hides a
   * lost message behind the reconnect's own check; a long one models a connection nobody notices is dead.
   */
  readonly subscriberRetryMs?: number;
  /**
   * Each Redis connection through a TCP proxy of its own, with the options main.ts gives it: the
   * production retry and timeout behaviour is under test, and a fault can hit one connection or all.
   */
  readonly proxied?: boolean;
  /** 'silent' for a scenario whose volume of log lines would distort what it measures (memory). */
  readonly logs?: 'capture' | 'silent';
}

export interface Readyz {
  readonly status: number;
  readonly body: { readonly ready: boolean; readonly redis: boolean; readonly subscriber: boolean; readonly stream: boolean };
}

const ROLES: readonly RedisRole[] = ['commands', 'subscriber', 'stream'];

/**
 * One scenario's world against the real Redis: a random key prefix, the scenario's own Redis client
 * (straight to Redis, never through a proxy) with the upstream writer on it, a clock that can jump, and
 * in-process WebSocket servers with captured logs and checked clients, all removed in cleanup() (keys
 * by SCAN under the prefix, never FLUSHDB).
 */
export class ServerWorld {
  readonly prefix = randomPrefix();
  readonly keys: RedisKeys = createRedisKeys(this.prefix);
  readonly redis: Redis = redisClient();
  readonly clock: JumpingClock;
  readonly upstream: FakeUpstream;
  private readonly servers: RunningServer[] = [];
  private readonly clients: CheckedClient[] = [];

  constructor(start: string = DURING_SESSION) {
    this.clock = new JumpingClock(start);
    this.upstream = new FakeUpstream(this.redis, this.keys, () => this.clock.now().toISOString());
  }

  async startServer(options: StartOptions = {}): Promise<RunningServer> {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_KEY_PREFIX: this.prefix, STREAM_BLOCK_MS: '100', ...options.env });
    const tag = `${this.prefix}ws${this.servers.length}`;
    const connectionNames: Record<RedisRole, string> = { commands: `${tag}:commands`, subscriber: `${tag}:subscriber`, stream: `${tag}:stream` };
    const proxies = options.proxied === true ? await startProxies() : null;
    const connection = (role: RedisRole): Redis => {
      const connectionName = connectionNames[role];
      if (proxies !== null) return new Redis(proxies[role].redisUrl, { ...redisConnectionOptions(role, config.redisCommandTimeoutMs), connectionName });
      const retry: RedisOptions =
        role === 'subscriber' && options.subscriberRetryMs !== undefined ? { retryStrategy: () => options.subscriberRetryMs } : {};
      return new Redis(REDIS_URL, { connectionName, maxRetriesPerRequest: role === 'stream' ? null : 1, ...retry });
    };
    const logs = options.logs === 'silent' ? silentLogs() : captureLogs({ service: 'websocket-server' });
    const server = createScannerServer({
      config,
      logger: logs.logger,
      clock: this.clock,
      redis: { commands: connection('commands'), subscriber: connection('subscriber'), stream: connection('stream') },
    });
    await server.start();
    const { port } = server.address();
    const running = { server, logs, wsUrl: `ws://127.0.0.1:${port}${config.wsPath}`, httpUrl: `http://127.0.0.1:${port}`, connectionNames, proxies };
    this.servers.push(running);
    return running;
  }

  async connect(running: RunningServer, name = `client${this.clients.length}`): Promise<CheckedClient> {
    const client = await CheckedClient.connect(running.wsUrl, name);
    this.clients.push(client);
    return client;
  }

  /** Every client this world opened (for the all-frames-valid assertions). */
  allClients(): readonly CheckedClient[] {
    return this.clients;
  }

  /** The id of the Redis connection named `name`, for CLIENT KILL ID (only this world's, never another test's). */
  clientIdByName(name: string): Promise<string | null> {
    return clientIdByName(this.redis, name);
  }

  async stopServer(running: RunningServer): Promise<void> {
    await running.server.stop();
  }

  async cleanup(): Promise<void> {
    try {
      for (const client of this.clients) client.close();
      // Restored first: a server stopping behind a cut proxy would wait out its connections' timeouts.
      for (const running of this.servers) if (running.proxies !== null) restoreAll(running);
      await Promise.allSettled(this.servers.map((s) => s.server.stop()));
      await Promise.allSettled(this.servers.flatMap((s) => (s.proxies === null ? [] : Object.values(s.proxies).map((p) => p.close()))));
    } finally {
      await deleteKeysWithPrefix(this.redis, this.prefix);
      await this.redis.quit();
    }
  }
}

/** The proxy in front of one of a proxied server's connections. */
export function proxyOf(running: RunningServer, role: RedisRole): TcpProxy {
  if (running.proxies === null) throw new Error('test bug: the server was not started with proxied: true');
  return running.proxies[role];
}

/** Redis is gone for the server: every connection reset, new ones refused. */
export function cutAll(running: RunningServer): void {
  for (const role of ROLES) proxyOf(running, role).cut();
}

export function restoreAll(running: RunningServer): void {
  for (const role of ROLES) proxyOf(running, role).restore();
}

export async function readyz(running: RunningServer): Promise<Readyz> {
  const res = await fetch(`${running.httpUrl}/readyz`);
  return { status: res.status, body: (await res.json()) as Readyz['body'] };
}

/** The log lines with this `event` (and every other given field). */
export function logEvents(logs: CapturedLogs, event: string, fields: Record<string, unknown> = {}): Record<string, unknown>[] {
  return logs.lines().filter((line) => line['event'] === event && Object.entries(fields).every(([key, value]) => line[key] === value));
}

async function startProxies(): Promise<Record<RedisRole, TcpProxy>> {
  const start = () => TcpProxy.start({ targetHost: REDIS_HOST, targetPort: REDIS_PORT });
  return { commands: await start(), subscriber: await start(), stream: await start() };
}

function silentLogs(): CapturedLogs {
  return { logger: pino({ level: 'silent' }), lines: () => [], text: () => '' };
}
