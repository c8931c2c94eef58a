/**
 * What Redis holds under a key; `channel` is a Pub/Sub channel, which holds nothing, and `any` a
 * temporary key, which holds whatever the key it is built for does.
 */
export type RedisValueType = 'string' | 'hash' | 'set' | 'stream' | 'channel' | 'any';

/**
 * - `none`: never expires; the writer overwrites or swaps it in place (or, upstream's keys, not ours to set).
 * - `calendar`: expires after the next maintenance run for the following session (`calendarTtlSeconds`),
 *   so a weekend or a holiday never leaves the scanner without it.
 * - `lease`: a short expiry the holder renews; the key vanishes when its writer dies.
 */
export type KeyTtlRule = 'none' | 'calendar' | 'lease';

export interface KeySpec {
  /** The unprefixed name; `<...>` marks a variable part. */
  readonly pattern: string;
  readonly type: RedisValueType;
  readonly writer: string;
  readonly readers: readonly string[];
  readonly ttl: KeyTtlRule;
  readonly purpose: string;
}

export type RedisKeyName =
  | 'scannerCategory'
  | 'scannerSequence'
  | 'rankingDeltas'
  | 'polygonSnapshot'
  | 'enrichedSnapshot'
  | 'tickerMetadata'
  | 'atrData'
  | 'rvolHistAvg'
  | 'tickerUniverse'
  | 'polygonWsActiveTickers'
  | 'maintenanceExecuted'
  | 'maintenanceStatus'
  | 'maintenanceLastRun'
  | 'newDayChannel'
  | 'tradingCurrentDay'
  | 'maintenanceLock'
  | 'maintenanceNewDayLock'
  | 'tmp';

const UPSTREAM = 'upstream scanner';
const WS = 'websocket-server';
const MAINTENANCE = 'data-maintenance';

/**
 * Every key, stream and channel the services touch, named as the builders of `createRedisKeys` are.
 * The first fourteen are the seed's and keep its names byte for byte; the last three are this project's.
 */
export const KEY_SPECS: Readonly<Record<RedisKeyName, KeySpec>> = {
  scannerCategory: {
    pattern: 'scanner:category:<list>',
    type: 'string',
    writer: UPSTREAM,
    readers: [WS],
    ttl: 'none',
    purpose: 'JSON array of the ranked rows of one list; the source of a snapshot when the server cache is empty.',
  },
  scannerSequence: {
    pattern: 'scanner:sequence:<list>',
    type: 'string',
    writer: UPSTREAM,
    readers: [WS],
    ttl: 'none',
    purpose: 'Integer sequence of the last update of one list, read together with scanner:category:<list>.',
  },
  rankingDeltas: {
    pattern: 'stream:ranking:deltas',
    type: 'stream',
    writer: UPSTREAM,
    readers: [WS],
    ttl: 'none',
    purpose: 'Live snapshots and deltas of every list; each server node reads all of it (no consumer group).',
  },
  polygonSnapshot: {
    pattern: 'snapshot:polygon:latest',
    type: 'string',
    writer: UPSTREAM,
    readers: [UPSTREAM],
    ttl: 'none',
    purpose: 'JSON {count, tickers, timestamp}: the latest full-market snapshot from Polygon.',
  },
  enrichedSnapshot: {
    pattern: 'snapshot:enriched:latest',
    type: 'string',
    writer: UPSTREAM,
    readers: [MAINTENANCE],
    ttl: 'none',
    purpose: 'JSON {count, tickers, timestamp}: the snapshot with RVOL and ATR; maintenance finds new tickers in it.',
  },
  tickerMetadata: {
    pattern: 'metadata:ticker:<symbol>',
    type: 'string',
    writer: MAINTENANCE,
    readers: [UPSTREAM, MAINTENANCE],
    ttl: 'calendar',
    purpose: 'JSON reference data of one ticker (name, market cap, sector, float, ...).',
  },
  atrData: {
    pattern: 'atr:data:<symbol>',
    type: 'hash',
    writer: MAINTENANCE,
    readers: [UPSTREAM],
    ttl: 'calendar',
    purpose: 'Hash {atr, atr_percent, date}: ATR(14) of one ticker as of the last loaded session.',
  },
  rvolHistAvg: {
    pattern: 'rvol:hist:avg:<symbol>',
    type: 'hash',
    writer: MAINTENANCE,
    readers: [UPSTREAM],
    ttl: 'calendar',
    purpose: 'Hash slot "0".."77" -> average cumulative volume over the last 5 full sessions; the RVOL baseline.',
  },
  tickerUniverse: {
    pattern: 'ticker:universe',
    type: 'set',
    writer: MAINTENANCE,
    readers: [UPSTREAM, MAINTENANCE],
    ttl: 'none',
    purpose: 'Every active symbol; rebuilt under a temporary key and swapped in with RENAME.',
  },
  polygonWsActiveTickers: {
    pattern: 'polygon_ws:active_tickers',
    type: 'set',
    writer: UPSTREAM,
    readers: [],
    ttl: 'none',
    purpose: 'Symbols the upstream Polygon WebSocket is subscribed to; named here so nothing else takes the name.',
  },
  maintenanceExecuted: {
    pattern: 'maintenance:executed:<date>',
    type: 'string',
    writer: MAINTENANCE,
    readers: [MAINTENANCE],
    ttl: 'none',
    purpose: '"1" once every task of that session\'s cycle succeeded.',
  },
  maintenanceStatus: {
    pattern: 'maintenance:status:<date>',
    type: 'string',
    writer: MAINTENANCE,
    readers: [MAINTENANCE],
    ttl: 'none',
    purpose: 'JSON status record of that session\'s cycle, written as each task finishes.',
  },
  maintenanceLastRun: {
    pattern: 'maintenance:last_run',
    type: 'string',
    writer: MAINTENANCE,
    readers: [MAINTENANCE],
    ttl: 'none',
    purpose: 'The last trading date whose cycle finished.',
  },
  newDayChannel: {
    pattern: 'trading:new_day',
    type: 'channel',
    writer: MAINTENANCE,
    readers: [WS],
    ttl: 'none',
    purpose: 'Pub/Sub: the new trading day was announced; subscribers drop their in-memory caches.',
  },
  tradingCurrentDay: {
    pattern: 'trading:current_day',
    type: 'string',
    writer: MAINTENANCE,
    readers: [WS],
    ttl: 'none',
    purpose: 'The current trading date, set with each trading:new_day publish: the truth a subscriber that missed it reads.',
  },
  maintenanceLock: {
    pattern: 'maintenance:lock',
    type: 'string',
    writer: MAINTENANCE,
    readers: [MAINTENANCE],
    ttl: 'lease',
    purpose: 'Holder token of the one maintenance runner across replicas (SET NX PX, renewed while it runs).',
  },
  maintenanceNewDayLock: {
    pattern: 'maintenance:lock:new_day',
    type: 'string',
    writer: MAINTENANCE,
    readers: [MAINTENANCE],
    ttl: 'lease',
    purpose: 'Holder token of the one new-day announcer across replicas; apart from maintenance:lock so a running cycle never delays 03:00.',
  },
  tmp: {
    pattern: 'tmp:<token>:<key>',
    type: 'any',
    writer: MAINTENANCE,
    readers: [],
    ttl: 'lease',
    purpose:
      'A key being rebuilt, of the type of <key>, RENAMEd onto it when complete; RENAME carries the TTL along, ' +
      'so give the final TTL (or PERSIST) in the same MULTI.',
  },
};
