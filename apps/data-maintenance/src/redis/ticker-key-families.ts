import type { Redis } from 'ioredis';
import type { RedisKeys, TickerKeyFamily } from '@scanner/redis-keys';
import { scanKeys, unlinkKeys } from './scan-keys.js';

export const TICKER_KEY_FAMILIES: readonly TickerKeyFamily[] = ['tickerMetadata', 'atrData', 'rvolHistAvg'];

/** The symbols that have a key of `family` now. */
export async function symbolsWithKeys(redis: Redis, keys: RedisKeys, family: TickerKeyFamily): Promise<Set<string>> {
  const found = await scanKeys(redis, keys.patterns[family]);
  const symbols = new Set<string>();
  for (const key of found) {
    const symbol = keys.symbolOf(family, key);
    if (symbol !== null) symbols.add(symbol);
  }
  return symbols;
}

/**
 * Removes the keys of `family` whose symbol is not in `keep`; returns the symbols removed. `present` is
 * the family's symbols when the caller has just found them with symbolsWithKeys: each SCAN walks the
 * whole keyspace, so it is not done twice.
 */
export async function removeKeysNotIn(
  redis: Redis,
  keys: RedisKeys,
  family: TickerKeyFamily,
  keep: ReadonlySet<string>,
  chunkSize: number,
  present?: ReadonlySet<string>,
): Promise<string[]> {
  const found = present ?? (await symbolsWithKeys(redis, keys, family));
  const stale = [...found].filter((symbol) => !keep.has(symbol)).sort();
  await unlinkKeys(redis, stale.map(keys[family]), chunkSize);
  return stale;
}
