import { decodeMarketSnapshot } from '@scanner/redis-keys';
import { ORIGINAL_TTL_SECONDS, type OriginalTask } from './original-context.js';

/**
 * AutoRecoverMissingTickersTask: GET snapshot:enriched:latest, SMEMBERS ticker:universe, and for each
 * ticker of the snapshot not in the universe SADD it and SET its metadata from the source's details.
 */
export const originalAutoRecover: OriginalTask = async (context) => {
  const snapshot = decodeMarketSnapshot(await context.redis.get(context.keys.enrichedSnapshot));
  if (!snapshot.ok) return { rows: 0, keys: 0 };
  const universe = new Set(await context.redis.smembers(context.keys.tickerUniverse));
  const missing = snapshot.value.tickers.map((t) => t.ticker).filter((symbol) => !universe.has(symbol));
  if (missing.length === 0) return { rows: 0, keys: 0 };
  const details = await context.source.tickerDetails(missing);
  let keys = 0;
  for (const d of details.values.values()) {
    await context.redis.sadd(context.keys.tickerUniverse, d.symbol);
    await context.redis.set(context.keys.tickerMetadata(d.symbol), JSON.stringify({ symbol: d.symbol, name: d.name }), 'EX', ORIGINAL_TTL_SECONDS.metadata);
    keys += 1;
  }
  return { rows: 0, keys };
};
