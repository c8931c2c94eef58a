import type { Redis } from 'ioredis';
import type { RedisKeys } from '@scanner/redis-keys';

/** One hash to be replaced whole: the fields given are all the fields the key will have. */
export interface HashReplacement {
  readonly key: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** One string key to be replaced. */
export interface StringReplacement {
  readonly key: string;
  readonly value: string;
}

export interface ReplaceOptions {
  readonly keys: RedisKeys;
  /** TTL of the final keys (from calendarTtlSeconds). */
  readonly ttlSeconds: number;
  /** Unique per run: names the temporary keys, so two writers never build into the same one. */
  readonly token: string;
  /** Keys per MULTI; bounds how long Redis is busy with one transaction. */
  readonly chunkSize: number;
}

export class RedisWriteError extends Error {
  override readonly name = 'RedisWriteError';
  constructor(
    readonly code: 'COMMAND_FAILED' | 'TRANSACTION_ABORTED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Replaces each hash atomically: it is built under `keys.tmp(key, token)` with the final TTL and
 * RENAMEd onto the key, so a reader sees the old hash or the new one, never a missing or half-written
 * key, and never a stale field the new hash no longer has (which an HSET over the old key would leave).
 * Each chunk is one MULTI sent as one pipeline: a dropped connection leaves a chunk wholly applied or
 * not at all, so no temporary key is ever left behind.
 */
export async function replaceHashes(redis: Redis, entries: readonly HashReplacement[], options: ReplaceOptions): Promise<number> {
  checkOptions(options);
  for (const chunk of chunks(entries, options.chunkSize)) {
    const tx = redis.multi();
    for (const { key, fields } of chunk) {
      if (Object.keys(fields).length === 0) {
        throw new RedisWriteError('COMMAND_FAILED', `refusing to write an empty hash to ${key}: HSET cannot, and the key would vanish`);
      }
      const tmp = options.keys.tmp(key, options.token);
      tx.del(tmp).hset(tmp, fields).expire(tmp, options.ttlSeconds).rename(tmp, key);
    }
    await execChecked(tx, 'hash replacement');
  }
  return entries.length;
}

/** SET ... EX is atomic on its own: a reader sees the old value or the new one. Pipelined by chunk. */
export async function replaceStrings(redis: Redis, entries: readonly StringReplacement[], options: ReplaceOptions): Promise<number> {
  checkOptions(options);
  for (const chunk of chunks(entries, options.chunkSize)) {
    const tx = redis.multi();
    for (const { key, value } of chunk) tx.set(key, value, 'EX', options.ttlSeconds);
    await execChecked(tx, 'string replacement');
  }
  return entries.length;
}

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

type Execable = { exec(): Promise<Array<[Error | null, unknown]> | null> };

export async function execChecked(tx: Execable, what: string): Promise<unknown[]> {
  const replies = await tx.exec();
  if (replies === null) throw new RedisWriteError('TRANSACTION_ABORTED', `${what}: the transaction was aborted`);
  const failed = replies.find(([error]) => error !== null);
  if (failed?.[0]) throw new RedisWriteError('COMMAND_FAILED', `${what}: ${failed[0].message}`);
  return replies.map(([, value]) => value);
}

function checkOptions(options: ReplaceOptions): void {
  if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds < 1) {
    throw new RedisWriteError('COMMAND_FAILED', `ttlSeconds must be a positive integer, got ${options.ttlSeconds}`);
  }
  if (!Number.isInteger(options.chunkSize) || options.chunkSize < 1) {
    throw new RedisWriteError('COMMAND_FAILED', `chunkSize must be a positive integer, got ${options.chunkSize}`);
  }
}
