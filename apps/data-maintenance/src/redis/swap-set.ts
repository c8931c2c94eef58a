import type { Redis } from 'ioredis';
import { RedisWriteError, chunks, execChecked } from './replace-keys.js';

export interface SwapSetOptions {
  /** Where the set is built; must be unique to this writer. */
  readonly tmpKey: string;
  /** Members per SADD. */
  readonly chunkSize: number;
  /** TTL of the half-built set, so a writer that dies mid-build leaves nothing behind for long. */
  readonly leaseSeconds: number;
}

/**
 * Replaces a set (no TTL) with `members` in one step for readers: built aside, then RENAMEd. A set
 * cannot be empty in Redis, so an empty member list is refused rather than deleting the key.
 */
export async function swapSet(redis: Redis, key: string, members: readonly string[], options: SwapSetOptions): Promise<number> {
  const unique = [...new Set(members)];
  if (unique.length === 0) {
    throw new RedisWriteError('COMMAND_FAILED', `refusing to replace ${key} with an empty set: readers would see it missing`);
  }
  const { tmpKey } = options;
  let first = true;
  for (const chunk of chunks(unique, options.chunkSize)) {
    const tx = first ? redis.multi().del(tmpKey).sadd(tmpKey, ...chunk).expire(tmpKey, options.leaseSeconds) : redis.multi().sadd(tmpKey, ...chunk);
    await execChecked(tx, `building ${tmpKey}`);
    first = false;
  }
  const built = await redis.scard(tmpKey);
  if (built !== unique.length) {
    await redis.del(tmpKey);
    throw new RedisWriteError('COMMAND_FAILED', `${tmpKey} has ${built} members, expected ${unique.length}; not swapped`);
  }
  await execChecked(redis.multi().persist(tmpKey).rename(tmpKey, key), `swapping ${key}`);
  return unique.length;
}
