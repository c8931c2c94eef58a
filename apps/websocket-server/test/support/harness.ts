import { pino } from 'pino';
import { Redis } from 'ioredis';
import { createRedisKeys, type RedisKeys } from '@scanner/redis-keys';
import type { Clock } from '@scanner/market-calendar';
import { loadConfig } from '../../src/config.js';
import { type ScannerServer, createScannerServer } from '../../src/server.js';
import { DURING_SESSION, clockStartingAt } from './clock.js';
import { REDIS_URL, deleteKeysWithPrefix, randomPrefix, redisClient } from './redis.js';
import { FakeUpstream } from './upstream.js';
import { TestClient } from './ws-client.js';

export interface RunningServer {
  readonly server: ScannerServer;
  readonly wsUrl: string;
  readonly httpUrl: string;
  /** CLIENT SETNAME of each of the server's connections, for CLIENT KILL ID. */
  readonly connectionNames: { readonly commands: string; readonly subscriber: string; readonly stream: string };
}

/**
 * One test's world: a random key prefix, a Redis client for the test itself, an upstream writer, and
 * the servers and clients it starts, all torn down (keys deleted by SCAN) in cleanup().
 */
export class Harness {
  readonly prefix = randomPrefix();
  readonly keys: RedisKeys = createRedisKeys(this.prefix);
  readonly redis: Redis = redisClient();
  readonly clock: Clock;
  readonly upstream: FakeUpstream;
  private readonly servers: RunningServer[] = [];
  private readonly clients: TestClient[] = [];

  constructor(start: string = DURING_SESSION) {
    this.clock = clockStartingAt(start);
    this.upstream = new FakeUpstream(this.redis, this.keys, () => this.clock.now().toISOString());
  }

  /** `redisUrl` points the server's own connections elsewhere (an unreachable Redis, for readiness). */
  async startServer(env: Record<string, string> = {}, redisUrl = REDIS_URL): Promise<RunningServer> {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_KEY_PREFIX: this.prefix,
      LOG_LEVEL: 'silent',
      STREAM_BLOCK_MS: '200',
      ...env,
    });
    const tag = `${this.prefix}ws${this.servers.length}`;
    const connectionNames = { commands: `${tag}:commands`, subscriber: `${tag}:subscriber`, stream: `${tag}:stream` };
    const server = createScannerServer({
      config,
      logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
      clock: this.clock,
      redis: {
        commands: new Redis(redisUrl, { connectionName: connectionNames.commands, maxRetriesPerRequest: 1 }),
        subscriber: new Redis(redisUrl, { connectionName: connectionNames.subscriber, maxRetriesPerRequest: 1 }),
        stream: new Redis(redisUrl, { connectionName: connectionNames.stream, maxRetriesPerRequest: null }),
      },
    });
    await server.start();
    const { port } = server.address();
    const running = { server, wsUrl: `ws://127.0.0.1:${port}${config.wsPath}`, httpUrl: `http://127.0.0.1:${port}`, connectionNames };
    this.servers.push(running);
    return running;
  }

  async connect(running: RunningServer, options: Parameters<typeof TestClient.connect>[1] = {}, query = ''): Promise<TestClient> {
    const client = await TestClient.connect(`${running.wsUrl}${query}`, options);
    this.clients.push(client);
    return client;
  }

  async cleanup(): Promise<void> {
    try {
      for (const client of this.clients) client.close();
      await Promise.all(this.servers.map((s) => s.server.stop()));
    } finally {
      await deleteKeysWithPrefix(this.redis, this.prefix);
      await this.redis.quit();
    }
  }
}

/** A metric's value from /metrics text (the sample whose labels include every given pair). */
export async function metricValue(httpUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  let total = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const sampleLabels = new Map([...(match[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => sampleLabels.get(k) === v)) {
      total += Number(match[4]);
      found = true;
    }
  }
  return found ? total : 0;
}
