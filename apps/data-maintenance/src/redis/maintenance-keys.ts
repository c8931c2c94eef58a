import type { Redis } from 'ioredis';
import type { IsoDate } from '@scanner/market-calendar';
import {
  MAINTENANCE_EXECUTED_FLAG,
  type RedisKeys,
  decodeMaintenanceStatus,
  decodeTradingDate,
  encodeMaintenanceStatus,
  encodeTradingDate,
  isMaintenanceExecuted,
} from '@scanner/redis-keys';
import type { MaintenanceStatusRecord } from '@scanner/shared-types';

/** The seed's `maintenance:*` keys, written through the lib's codecs. None of them has a TTL (KEY_SPECS). */
export interface MaintenanceKeys {
  writeStatus(record: MaintenanceStatusRecord): Promise<void>;
  readStatus(date: IsoDate): Promise<MaintenanceStatusRecord | null>;
  /** Sets the flag when every task succeeded, removes it otherwise: it must never outlive a failed re-run. */
  setExecuted(date: IsoDate, executed: boolean): Promise<void>;
  isExecuted(date: IsoDate): Promise<boolean>;
  /** Moves `maintenance:last_run` to `date` unless it already holds a later date; true when it moved. */
  advanceLastRun(date: IsoDate): Promise<boolean>;
  readLastRun(): Promise<IsoDate | null>;
}

// Compare-and-set in one script, so two writers can never move the date backwards between a GET and a SET.
// YYYY-MM-DD compares correctly as text.
const ADVANCE_LAST_RUN = `
local current = redis.call('GET', KEYS[1])
if current and current >= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1`;

export function maintenanceKeys(redis: Redis, keys: RedisKeys): MaintenanceKeys {
  return {
    async writeStatus(record) {
      await redis.set(keys.maintenanceStatus(record.date), encodeMaintenanceStatus(record));
    },
    async readStatus(date) {
      const text = await redis.get(keys.maintenanceStatus(date));
      if (text === null) return null;
      const decoded = decodeMaintenanceStatus(text);
      return decoded.ok ? decoded.value : null;
    },
    async setExecuted(date, executed) {
      if (executed) await redis.set(keys.maintenanceExecuted(date), MAINTENANCE_EXECUTED_FLAG);
      else await redis.del(keys.maintenanceExecuted(date));
    },
    async isExecuted(date) {
      return isMaintenanceExecuted(await redis.get(keys.maintenanceExecuted(date)));
    },
    async advanceLastRun(date) {
      const moved = await redis.eval(ADVANCE_LAST_RUN, 1, keys.maintenanceLastRun, encodeTradingDate(date));
      return moved === 1;
    },
    async readLastRun() {
      const decoded = decodeTradingDate(await redis.get(keys.maintenanceLastRun));
      return decoded.ok ? decoded.value : null;
    },
  };
}
