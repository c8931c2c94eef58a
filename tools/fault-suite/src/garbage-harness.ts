import { randomBytes } from 'node:crypto';
import { type RedisKeys, createRedisKeys } from '@scanner/redis-keys';
import { type ScannerServer, createScannerServer, loadConfig } from '@scanner/websocket-server';
import { Redis, type RedisOptions } from 'ioredis';
import { type CapturedLogs, captureLogs } from './log-capture.js';
import { JumpingClock } from './garbage-clock.js';
import { UpstreamWriter } from './garbage-upstream.js';
import { WatchingClient } from './garbage-ws-client.js';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface RunningServer {
  readonly server: ScannerServer;
  readonly logs: CapturedLogs;
  readonly wsUrl: string;
  readonly httpUrl: string;
  /** CLIENT SETNAME of each of the server's Redis connections: CLIENT KILL targets only this server's. */
  readonly connectionNames: { readonly commands: string; readonly subscriber: string; readonly stream: string };
}

export interface StartOptions {
  /** Config variables on top of the scenario defaults (short stream block, silent nothing: logs are captured). */
  readonly env?: Record<string, string>;
  /**
   * Reconnect delay of the server's subscriber connection. The default (ioredis: 50 ms and up) hides a
   * lost message behind the reconnect's own check; a long one models a connection nobody notices is dead.
   */
  readonly subscriberRetryMs?: number;
}

/**
 * One scenario's world against the real Redis: a random key prefix, the scenario's own Redis client, the
 * valid upstream, and in-process WebSocket servers with captured logs, all removed in cleanup() (keys by
 * SCAN under the prefix, never FLUSHDB).
 */
export class ScenarioWorld {
  readonly prefix = `faults:${randomBytes(6).toString('hex')}:`;
  readonly keys: RedisKeys = createRedisKeys(this.prefix);
  readonly redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  readonly clock: JumpingClock;
  readonly upstream: UpstreamWriter;
  private readonly servers: RunningServer[] = [];
  private readonly clients: WatchingClient[] = [];

  constructor(start: string) {
    this.clock = new JumpingClock(start);
    this.upstream = new UpstreamWriter(this.redis, this.keys, () => this.clock.now().toISOString());
  }

  async startServer(options: StartOptions = {}): Promise<RunningServer> {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_KEY_PREFIX: this.prefix, STREAM_BLOCK_MS: '100', ...options.env });
    const tag = `${this.prefix}ws${this.servers.length}`;
    const connectionNames = { commands: `${tag}:commands`, subscriber: `${tag}:subscriber`, stream: `${tag}:stream` };
    const connection = (name: string, extra: RedisOptions) => new Redis(REDIS_URL, { connectionName: name, ...extra });
    const logs = captureLogs({ service: 'websocket-server' });
    const server = createScannerServer({
      config,
      logger: logs.logger,
      clock: this.clock,
      redis: {
        commands: connection(connectionNames.commands, { maxRetriesPerRequest: 1 }),
        subscriber: connection(connectionNames.subscriber, {
          maxRetriesPerRequest: 1,
          ...(options.subscriberRetryMs === undefined ? {} : { retryStrategy: () => options.subscriberRetryMs }),
        }),
        stream: connection(connectionNames.stream, { maxRetriesPerRequest: null }),
      },
    });
    await server.start();
    const { port } = server.address();
    const running = { server, logs, wsUrl: `ws://127.0.0.1:${port}${config.wsPath}`, httpUrl: `http://127.0.0.1:${port}`, connectionNames };
    this.servers.push(running);
    return running;
  }

  async connect(running: RunningServer, name = `client${this.clients.length}`): Promise<WatchingClient> {
    const client = await WatchingClient.connect(running.wsUrl, name);
    this.clients.push(client);
    return client;
  }

  /** Every client this world opened (for the all-frames-valid assertions). */
  allClients(): readonly WatchingClient[] {
    return this.clients;
  }

  /** The id of the Redis connection named `name`, for CLIENT KILL ID (only this world's, never another test's). */
  async clientIdByName(name: string): Promise<string | null> {
    const list = (await this.redis.client('LIST')) as string;
    for (const line of list.split('\n')) {
      const fields = new Map(line.split(' ').map((pair) => pair.split('=', 2) as [string, string]));
      if (fields.get('name') === name) return fields.get('id') ?? null;
    }
    return null;
  }

  async stopServer(running: RunningServer): Promise<void> {
    await running.server.stop();
  }

  async cleanup(): Promise<void> {
    try {
      for (const client of this.clients) client.close();
      await Promise.allSettled(this.servers.map((s) => s.server.stop()));
    } finally {
      let cursor = '0';
      do {
        const [next, found] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
        cursor = next;
        if (found.length > 0) await this.redis.del(...found);
      } while (cursor !== '0');
      await this.redis.quit();
    }
  }
}

/** The log lines with this `event` (and every other given field). */
export function logEvents(logs: CapturedLogs, event: string, fields: Record<string, unknown> = {}): Record<string, unknown>[] {
  return logs.lines().filter((line) => line['event'] === event && Object.entries(fields).every(([key, value]) => line[key] === value));
}
