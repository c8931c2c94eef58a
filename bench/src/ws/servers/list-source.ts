import { type IsoDate, nyseCalendar, newYorkDateOf } from '@scanner/market-calendar';
import {
  type RankingStreamEntry,
  type RedisKeys,
  decodeRankingStreamEntry,
  decodeSequence,
  decodeTradingDate,
} from '@scanner/redis-keys';
import type { ScannerList, ScannerRow } from '@scanner/shared-types';
import type { Redis } from 'ioredis';

/** A list as both baselines serve it on subscribe: read from Redis, not kept current in memory. */
export interface StoredList {
  readonly rows: readonly ScannerRow[];
  readonly sequence: number;
}

/**
 * Rows and sequence in one MGET, as websocket-server reads a list it does not hold. The baselines trust
 * upstream's JSON as the usual server does (a plain JSON.parse, no row validation): the naive server
 * reads on every subscribe, and validating 100 rows each time would measure the validator, not the
 * fan-out.
 */
export async function readStoredList(redis: Redis, keys: RedisKeys, list: ScannerList): Promise<StoredList> {
  const [rowsText, sequenceText] = await redis.mget(keys.scannerCategory(list), keys.scannerSequence(list));
  const rows = rowsText == null ? [] : (JSON.parse(rowsText) as ScannerRow[]);
  const sequence = decodeSequence(sequenceText ?? null);
  return { rows, sequence: sequence.ok ? sequence.value : 0 };
}

/** `trading:current_day`, else the trading day on or before today in New York (websocket-server's rule). */
export async function readEpoch(redis: Redis, keys: RedisKeys): Promise<IsoDate> {
  const stored = decodeTradingDate(await redis.get(keys.tradingCurrentDay));
  return stored.ok ? stored.value : nyseCalendar.tradingDayOnOrBefore(newYorkDateOf(new Date()));
}

type XReadReply = Array<[string, Array<[string, string[]]>]> | null;

/**
 * Follows stream:ranking:deltas from its newest entry with XREAD BLOCK on a connection of its own, and
 * hands each decodable entry to `onEntry` in order. Resolves when `stopped()` turns true.
 */
export async function tailRankingStream(
  redis: Redis,
  keys: RedisKeys,
  onEntry: (entry: RankingStreamEntry) => void,
  stopped: () => boolean,
): Promise<void> {
  const newest = (await redis.xrevrange(keys.rankingDeltas, '+', '-', 'COUNT', 1))[0];
  let position = newest?.[0] ?? '0-0';
  while (!stopped()) {
    const reply = (await redis.xread('COUNT', 500, 'BLOCK', 2_000, 'STREAMS', keys.rankingDeltas, position)) as XReadReply;
    for (const [id, fields] of reply?.[0]?.[1] ?? []) {
      position = id;
      const decoded = decodeRankingStreamEntry(fields);
      if (decoded.ok) onEntry(decoded.value);
    }
  }
}
