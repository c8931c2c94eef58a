import type { Redis } from 'ioredis';
import type { IsoDate } from '@scanner/market-calendar';
import { type RedisKeys, RedisKeyError, decodeNewDayEvent, decodeTradingDate, encodeTradingDate } from '@scanner/redis-keys';

export interface Announcement {
  /** false: `trading:current_day` already held this day or a later one, so nothing was set or published. */
  readonly published: boolean;
  /** What `trading:current_day` held before (null when absent or not a date). */
  readonly previousDay: IsoDate | null;
  /** Subscribers the message reached (0 when not published). */
  readonly receivers: number;
}

// SET and PUBLISH in one script, only when the stored day is older: a second announcer (a duplicate
// run, a catch-up racing a schedule) can neither publish the day twice nor move the day backwards.
// YYYY-MM-DD compares correctly as text; a value that is not a date is treated as absent, so a damaged
// key cannot block every later announcement. The channel is an argument, not a key: it names no key.
const ANNOUNCE = `
local current = redis.call('GET', KEYS[1])
if current and string.match(current, '^%d%d%d%d%-%d%d%-%d%d$') and current >= ARGV[1] then
  return {0, current, 0}
end
redis.call('SET', KEYS[1], ARGV[1])
local receivers = redis.call('PUBLISH', ARGV[2], ARGV[3])
return {1, current or '', receivers}`;

/**
 * Makes `date` the current trading day and announces it on `trading:new_day` with `payload` (the
 * encoded NewDayEvent of that date), atomically, unless the current day is already `date` or later.
 */
export async function announceNewDay(redis: Redis, keys: RedisKeys, date: IsoDate, payload: string): Promise<Announcement> {
  const day = encodeTradingDate(date);
  const event = decodeNewDayEvent(payload);
  if (!event.ok || event.value.date !== day) {
    const why = event.ok ? `it announces ${event.value.date}` : event.error.message;
    throw new RedisKeyError('INVALID_VALUE', `the trading:new_day payload does not announce ${day}: ${why}`);
  }
  const [published, previous, receivers] = (await redis.eval(ANNOUNCE, 1, keys.tradingCurrentDay, day, keys.newDayChannel, payload)) as [
    number,
    string,
    number,
  ];
  const before = decodeTradingDate(previous === '' ? null : previous);
  return { published: published === 1, previousDay: before.ok ? before.value : null, receivers };
}
