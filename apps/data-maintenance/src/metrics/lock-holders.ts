import type { RedisKeys } from '@scanner/redis-keys';
import type { Redis } from 'ioredis';
import type { LockHolders } from './maintenance-metrics.js';

/** The holder tokens of the data lock and the new-day lock, in one round trip (for maintenance_lock_holder). */
export function redisLockHolders(redis: Redis, keys: Pick<RedisKeys, 'maintenanceLock' | 'maintenanceNewDayLock'>): () => Promise<LockHolders> {
  return async () => {
    const [data, newDay] = await redis.mget(keys.maintenanceLock, keys.maintenanceNewDayLock);
    return { data: data ?? null, new_day: newDay ?? null };
  };
}
