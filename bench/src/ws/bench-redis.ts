import { randomBytes } from 'node:crypto';
import { scanKeys, unlinkKeys } from '@scanner/data-maintenance';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A key prefix of its own per benchmark run, so runs never see each other's (or tests') keys. */
export function benchPrefix(name: string): string {
  return `bench-${name}-${randomBytes(4).toString('hex')}:`;
}

export function benchRedis(role: string): Redis {
  return new Redis(REDIS_URL, { connectionName: `bench-ws:${role}`, maxRetriesPerRequest: 2 });
}

/** Deletes every key of `prefix`; returns how many. */
export async function dropPrefix(redis: Redis, prefix: string): Promise<number> {
  return unlinkKeys(redis, await scanKeys(redis, `${prefix}*`), 1000);
}

/** Redis's own CPU seconds (user + system) so far, from INFO cpu. */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return field('used_cpu_sys') + field('used_cpu_user');
}
