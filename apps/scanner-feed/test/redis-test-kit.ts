import { type RankingStreamEntry, type RedisKeys, createRedisKeys, decodeRankingStreamEntry } from '@scanner/redis-keys';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A Redis client plus fresh key prefixes, each deleted again by `cleanup`. */
export function redisTestKit() {
  const redis = new Redis(REDIS_URL);
  const prefixes: string[] = [];
  return {
    redis,
    freshKeys(): RedisKeys {
      const prefix = `test:${crypto.randomUUID().slice(0, 12)}:`;
      prefixes.push(prefix);
      return createRedisKeys(prefix);
    },
    async cleanup(): Promise<void> {
      for (const prefix of prefixes.splice(0)) {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      }
    },
  };
}

/** Every entry of the stream, oldest first, decoded; a bad entry fails loudly with its id. */
export async function readStream(redis: Redis, keys: RedisKeys): Promise<Array<{ id: string; entry: RankingStreamEntry }>> {
  const raw = await redis.xrange(keys.rankingDeltas, '-', '+');
  return raw.map(([id, fields]) => {
    const decoded = decodeRankingStreamEntry(fields);
    if (!decoded.ok) throw new Error(`stream entry ${id} does not decode: ${decoded.error.code} ${decoded.error.message}`);
    return { id, entry: decoded.value };
  });
}

/** Polls `check` until it returns true or the deadline passes. */
export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
