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

/** Removes the keys of `family` whose symbol is not in `keep`; returns the symbols removed. */
export async function removeKeysNotIn(
  redis: Redis,
  keys: RedisKeys,
  family: TickerKeyFamily,
  keep: ReadonlySet<string>,
  chunkSize: number,
): Promise<string[]> {
  const present = await symbolsWithKeys(redis, keys, family);
  const stale = [...present].filter((symbol) => !keep.has(symbol)).sort();
  const builder = keyBuilder(keys, family);
  await unlinkKeys(redis, stale.map(builder), chunkSize);
  return stale;
}

export function keyBuilder(keys: RedisKeys, family: TickerKeyFamily): (symbol: string) => string {
  switch (family) {
    case 'tickerMetadata':
      return keys.tickerMetadata;
    case 'atrData':
      return keys.atrData;
    case 'rvolHistAvg':
      return keys.rvolHistAvg;
  }
}
