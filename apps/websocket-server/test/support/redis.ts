import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Every test gets its own prefix, so tests (and other apps' tests) can share one Redis. */
export function randomPrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}

export function redisClient(connectionName?: string): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1, ...(connectionName === undefined ? {} : { connectionName }) });
}

/** Deletes every key under the prefix (SCAN, never KEYS). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** The id of the connection with this CLIENT SETNAME name, for CLIENT KILL ID (only ours, never another test's). */
export async function clientIdByName(redis: Redis, name: string): Promise<string | null> {
  const list = (await redis.client('LIST')) as string;
  for (const line of list.split('\n')) {
    const fields = new Map(line.split(' ').map((pair) => pair.split('=', 2) as [string, string]));
    if (fields.get('name') === name) return fields.get('id') ?? null;
  }
  return null;
}
