import type { Redis } from 'ioredis';
import { chunks } from './replace-keys.js';

/** Every key matching `pattern`, by SCAN (never KEYS: it would block Redis on a large keyspace). */
export async function scanKeys(redis: Redis, pattern: string, count = 1000): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', count);
    for (const key of batch) found.add(key);
    cursor = next;
  } while (cursor !== '0');
  return [...found];
}

/** UNLINK frees memory off the main thread, so deleting thousands of keys does not stall readers. */
export async function unlinkKeys(redis: Redis, keys: readonly string[], chunkSize: number): Promise<number> {
  let removed = 0;
  for (const chunk of chunks(keys, chunkSize)) {
    if (chunk.length > 0) removed += await redis.unlink(...chunk);
  }
  return removed;
}
