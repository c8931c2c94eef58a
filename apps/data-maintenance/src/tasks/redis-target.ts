import type { IsoDate } from '@scanner/market-calendar';
import { maintenanceKeys } from '../redis/maintenance-keys.js';
import type { ReplaceOptions } from '../redis/replace-keys.js';
import { type RedisCurrency, redisCurrency } from './redis-currency.js';
import type { TaskContext } from './task-context.js';

export type RedisTargetDeps = Pick<TaskContext, 'redis' | 'keys' | 'calendar' | 'clock' | 'settings' | 'redisChunkSize' | 'runToken'>;

export type RedisTarget =
  | { readonly write: true; readonly ttlSeconds: number; readonly options: ReplaceOptions }
  | { readonly write: false; readonly reason: string };

/** Decides, once per task, whether and with which TTL the caches of `date` are written (see redisCurrency). */
export async function redisTarget(deps: RedisTargetDeps, date: IsoDate): Promise<RedisTarget> {
  const lastRun = await maintenanceKeys(deps.redis, deps.keys).readLastRun();
  const currency: RedisCurrency = redisCurrency({
    date,
    lastRun,
    now: deps.clock.now(),
    calendar: deps.calendar,
    maintenanceMinuteOfDay: deps.settings.maintenanceMinuteOfDay,
    graceSeconds: deps.settings.ttlGraceSeconds,
  });
  if (!currency.write) return currency;
  return {
    write: true,
    ttlSeconds: currency.ttlSeconds,
    options: { keys: deps.keys, ttlSeconds: currency.ttlSeconds, token: deps.runToken, chunkSize: deps.redisChunkSize },
  };
}

/** What a result says about its Redis part. */
export function redisDetails(target: RedisTarget, written: number): Record<string, unknown> {
  return target.write
    ? { redis: { written: true, keys: written, ttl_seconds: target.ttlSeconds } }
    : { redis: { written: false, reason: target.reason } };
}
