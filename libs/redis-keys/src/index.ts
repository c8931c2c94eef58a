export { RedisKeyError, type RedisKeyErrorCode } from './redis-key-error.js';
export { MAX_SYMBOL_LENGTH, isValidSymbol } from './symbols.js';
export { MAX_PREFIX_LENGTH } from './key-parts.js';
export { KEY_SPECS, type KeySpec, type KeyTtlRule, type RedisKeyName, type RedisValueType } from './key-specs.js';
export { type RedisKeys, type TickerKeyFamily, createRedisKeys } from './create-redis-keys.js';
export {
  type CalendarExpiryOptions,
  type CalendarTtlOptions,
  DEFAULT_MAINTENANCE_MINUTE_OF_DAY,
  DEFAULT_TTL_GRACE_SECONDS,
  calendarExpiresAt,
  calendarTtlSeconds,
} from './calendar-ttl.js';
export type { ValueDecodeError, ValueDecodeErrorCode } from './codecs/value-codec.js';
export {
  type NewDayEvent,
  type NewDayEventError,
  type NewDayEventErrorCode,
  decodeNewDayEvent,
  encodeNewDayEvent,
  newDayEvent,
} from './codecs/new-day-event.js';
export {
  type DeltaStreamEntry,
  type RankingStreamEntry,
  type RankingStreamError,
  type RankingStreamErrorCode,
  type SnapshotStreamEntry,
  decodeRankingStreamEntry,
  encodeRankingStreamEntry,
} from './codecs/ranking-stream-entry.js';
export { decodeScannerRows, decodeSequence, encodeScannerRows, encodeSequence } from './codecs/scanner-values.js';
export { decodeTradingDate, encodeTradingDate } from './codecs/trading-date.js';
export {
  MAINTENANCE_EXECUTED_FLAG,
  decodeMaintenanceStatus,
  encodeMaintenanceStatus,
  isMaintenanceExecuted,
} from './codecs/maintenance-values.js';
export { type TickerMetadata, decodeTickerMetadata, encodeTickerMetadata } from './codecs/ticker-metadata.js';
export { type AtrData, decodeAtrData, encodeAtrData } from './codecs/atr-data.js';
export { type RvolAverages, decodeRvolAverages, encodeRvolAverages } from './codecs/rvol-averages.js';
export {
  type MarketSnapshot,
  type SnapshotTicker,
  decodeMarketSnapshot,
  encodeMarketSnapshot,
} from './codecs/market-snapshot.js';
