import type { IsoDate } from '@scanner/market-calendar';
import type { TickerKeyFamily } from '@scanner/redis-keys';
import { readLatestAtr } from '../db/atr-daily.js';
import { activeSymbols, readMetadata } from '../db/ticker-metadata.js';
import { readAverages } from '../db/volume-slot-averages.js';
import { replaceHashes, replaceStrings } from '../redis/replace-keys.js';
import { swapSet } from '../redis/swap-set.js';
import { TICKER_KEY_FAMILIES, removeKeysNotIn, symbolsWithKeys } from '../redis/ticker-key-families.js';
import { atrEntries, averagesBySymbol, metadataEntries, rvolEntries } from './cache-entries.js';
import { type RedisTargetDeps, redisDetails, redisTarget } from './redis-target.js';
import type { TaskContext } from './task-context.js';
import { MAX_NAMED, type TaskResult, completed, failed } from './task-result.js';

export type SyncRedisDeps = Pick<TaskContext, 'pool'> & RedisTargetDeps;

/** How long a half-built universe may live if its writer dies. */
const UNIVERSE_BUILD_LEASE_SECONDS = 3600;

/**
 * Makes Redis agree with the database: `ticker:universe` rebuilt from the active symbols and swapped in
 * with RENAME; per-ticker keys missing for a universe symbol rewritten from the tables (latest_atr,
 * volume_slot_averages, ticker_metadata); keys of symbols that left the universe removed (found by SCAN).
 */
export async function syncRedis(deps: SyncRedisDeps, date: IsoDate): Promise<TaskResult> {
  const target = await redisTarget(deps, date);
  if (!target.write) {
    return completed({ counts: { universe: 0, repaired: 0, removed: 0 }, details: redisDetails(target, 0) });
  }
  const universe = await activeSymbols(deps.pool);
  if (universe.length === 0) return failed('ticker_metadata has no active symbol: the universe would be empty');
  const members = await swapSet(deps.redis, deps.keys.tickerUniverse, universe, {
    tmpKey: deps.keys.tmp(deps.keys.tickerUniverse, deps.runToken),
    chunkSize: Math.max(deps.redisChunkSize, 1000),
    leaseSeconds: UNIVERSE_BUILD_LEASE_SECONDS,
  });
  const keep = new Set(universe);

  // One SCAN per family serves both the repair and the removal: the keys written in between are universe
  // symbols', which the removal keeps anyway.
  const present = new Map<TickerKeyFamily, Set<string>>();
  for (const family of TICKER_KEY_FAMILIES) present.set(family, await symbolsWithKeys(deps.redis, deps.keys, family));
  const missing = (family: TickerKeyFamily) => universe.filter((s) => !present.get(family)?.has(s));

  const metadataMissing = missing('tickerMetadata');
  const metadataRows = await readMetadata(deps.pool, metadataMissing);
  const repairedMetadata = await replaceStrings(deps.redis, metadataEntries(deps.keys, metadataRows.values()), target.options);

  const atrMissing = missing('atrData');
  const atrRows = await readLatestAtr(deps.pool, atrMissing);
  const repairedAtr = await replaceHashes(deps.redis, atrEntries(deps.keys, atrRows.values()), target.options);

  const rvolMissing = missing('rvolHistAvg');
  const averageRows = await readAverages(deps.pool, rvolMissing);
  const repairedRvol = await replaceHashes(deps.redis, rvolEntries(deps.keys, averagesBySymbol([...averageRows.values()].flat())), target.options);

  const removed: Record<string, string[]> = {};
  for (const family of TICKER_KEY_FAMILIES) {
    removed[family] = await removeKeysNotIn(deps.redis, deps.keys, family, keep, deps.redisChunkSize, present.get(family));
  }
  const removedCount = Object.values(removed).reduce((n, l) => n + l.length, 0);
  const repaired = repairedMetadata + repairedAtr + repairedRvol;
  return completed({
    counts: {
      universe: members,
      repaired,
      repaired_metadata: repairedMetadata,
      repaired_atr: repairedAtr,
      repaired_rvol: repairedRvol,
      removed: removedCount,
      // Universe symbols for which the database has nothing to write yet (no details, too little history).
      without_metadata: metadataMissing.length - repairedMetadata,
      without_atr: atrMissing.length - repairedAtr,
      without_rvol: rvolMissing.length - repairedRvol,
    },
    details: {
      removed: Object.fromEntries(Object.entries(removed).map(([f, l]) => [f, l.slice(0, MAX_NAMED)])),
      ...redisDetails(target, members + repaired),
    },
  });
}
