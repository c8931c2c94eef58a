import { randomBytes } from 'node:crypto';
import type { Clock } from '@scanner/market-calendar';
import { type RedisKeys, createRedisKeys } from '@scanner/redis-keys';
import { Redis } from 'ioredis';
import { pino } from 'pino';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only: the real server runs in-process; '@scanner/websocket-server' would be circular (the app depends on this lib) and a lib may not import an app.
import { type ScannerServer, createScannerServer, loadConfig } from '../../../../apps/websocket-server/src/index.js';
import { Upstream } from './upstream.js';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Wednesday 2025-11-26 10:00 New York: a full trading day. */
export const TRADING_DAY = '2025-11-26';
export const PREVIOUS_TRADING_DAY = '2025-11-25';
export const DURING_SESSION = '2025-11-26T15:00:00.000Z';
/** 03:00 New York on the 26th: the maintenance service announces the day; Redis still holds the 25th's lists. */
export const NEW_DAY_MORNING = '2025-11-26T08:00:00.000Z';

/** Starts at a chosen instant and runs in real time, so server timers (token expiry) see real elapsed time. */
export function clockStartingAt(iso: string): Clock {
  const offset = Date.parse(iso) - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

export interface RunningServer {
  readonly server: ScannerServer;
  readonly port: number;
  readonly url: string;
}

/**
 * One test's world: a random key prefix (other tests share this Redis), a Redis client for the test,
 * an upstream writer, and the servers it starts; cleanup() stops them and deletes every key under the
 * prefix (SCAN, never KEYS or FLUSH).
 */
export class World {
  readonly prefix = `test:${randomBytes(6).toString('hex')}:`;
  readonly keys: RedisKeys = createRedisKeys(this.prefix);
  readonly redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  readonly clock: Clock;
  readonly upstream: Upstream;
  private readonly servers: ScannerServer[] = [];
  private readonly cleanups: (() => void)[] = [];

  constructor(start: string = DURING_SESSION) {
    this.clock = clockStartingAt(start);
    this.upstream = new Upstream(this.redis, this.keys, () => this.clock.now().toISOString());
  }

  /** Port 0 picks a free port; pass a previous server's port to restart "the same" server. */
  async startServer(port = 0, env: Record<string, string> = {}): Promise<RunningServer> {
    const config = loadConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_KEY_PREFIX: this.prefix,
      LOG_LEVEL: 'silent',
      STREAM_BLOCK_MS: '200',
      ...env,
    });
    const server = createScannerServer({
      config,
      logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
      clock: this.clock,
      redis: {
        commands: new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }),
        subscriber: new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }),
        stream: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
      },
    });
    this.servers.push(server);
    await server.start();
    const address = server.address();
    return { server, port: address.port, url: `ws://127.0.0.1:${address.port}${config.wsPath}` };
  }

  /** Runs at cleanup, before the servers stop (e.g. client.stop()). */
  onCleanup(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  async cleanup(): Promise<void> {
    try {
      for (const cleanup of this.cleanups) cleanup();
      await Promise.all(this.servers.map((s) => s.stop()));
    } finally {
      await deleteKeysWithPrefix(this.redis, this.prefix);
      await this.redis.quit();
    }
  }
}

async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** Polls until `check` returns something other than undefined/false, or fails naming `what`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
