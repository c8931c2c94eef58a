import type { Clock } from '@scanner/market-calendar';
import { type RedisKeys, createRedisKeys } from '@scanner/redis-keys';
import { Redis } from 'ioredis';
import { pino } from 'pino';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only: the real server runs in-process; '@scanner/websocket-server' would be circular (the app depends on this lib) and a lib may not import an app.
import { type ScannerServer, createScannerServer, loadConfig } from '../../../../apps/websocket-server/src/index.js';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only, as above: the server's own upstream writer, clock and Redis helpers, so the client is tested against the same fakes.
import { DURING_SESSION, clockStartingAt } from '../../../../apps/websocket-server/test/support/clock.js';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only, as above.
import { REDIS_URL, deleteKeysWithPrefix, randomPrefix } from '../../../../apps/websocket-server/test/support/redis.js';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only, as above.
import { FakeUpstream } from '../../../../apps/websocket-server/test/support/upstream.js';

// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only, as above.
export { DURING_SESSION, NEW_DAY_MORNING, PREVIOUS_TRADING_DAY, TRADING_DAY, clockStartingAt } from '../../../../apps/websocket-server/test/support/clock.js';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only, as above.
export { makeRows } from '../../../../apps/websocket-server/test/support/upstream.js';
export { REDIS_URL };

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
  readonly prefix = randomPrefix();
  readonly keys: RedisKeys = createRedisKeys(this.prefix);
  readonly redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  readonly clock: Clock;
  readonly upstream: FakeUpstream;
  private readonly servers: ScannerServer[] = [];
  private readonly cleanups: (() => void)[] = [];

  constructor(start: string = DURING_SESSION) {
    this.clock = clockStartingAt(start);
    this.upstream = new FakeUpstream(this.redis, this.keys, () => this.clock.now().toISOString());
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
