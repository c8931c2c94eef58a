import type { IsoDate } from '@scanner/market-calendar';
import { type RedisKeys, decodeTradingDate } from '@scanner/redis-keys';
import type { Redis } from 'ioredis';

export type CurrentDayReading =
  | { readonly kind: 'date'; readonly date: IsoDate }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly message: string };

/** `trading:current_day`: the level-triggered truth a subscriber that missed the Pub/Sub message reads. */
export async function readCurrentDay(redis: Redis, keys: RedisKeys): Promise<CurrentDayReading> {
  const decoded = decodeTradingDate(await redis.get(keys.tradingCurrentDay));
  if (decoded.ok) return { kind: 'date', date: decoded.value };
  return decoded.error.code === 'MISSING' ? { kind: 'missing' } : { kind: 'invalid', message: decoded.error.message };
}
