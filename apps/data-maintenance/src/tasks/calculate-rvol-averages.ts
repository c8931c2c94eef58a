import { FULL_DAY_SLOTS, type IsoDate } from '@scanner/market-calendar';
import { rvolWindow } from '../core/rvol-averages.js';
import { averageSlotsInDb, replaceAveragesFromSlots } from '../db/slot-averages-sql.js';
import { newerBaselineThan } from '../db/volume-slot-averages.js';
import { volumeSlotCounts } from '../db/volume-slots.js';
import { replaceHashes } from '../redis/replace-keys.js';
import { removeKeysNotIn } from '../redis/ticker-key-families.js';
import { rvolEntries } from './cache-entries.js';
import { type RedisTarget, type RedisTargetDeps, redisDetails, redisTarget } from './redis-target.js';
import type { TaskContext } from './task-context.js';
import { MAX_NAMED, type TaskResult, completed, failed } from './task-result.js';

export type CalculateRvolAveragesDeps = Pick<TaskContext, 'pool'> & RedisTargetDeps;

/**
 * Per symbol and slot, the mean cumulative volume over the last `rvolSessions` FULL sessions up to the
 * date (early-close sessions passed over), for all 78 slots; volume_slot_averages becomes exactly this
 * set in one transaction, and each rvol:hist:avg:<SYM> is swapped in whole (readers never see it missing).
 * Keys of symbols that no longer have averages are removed, as the table rows are.
 *
 * The averaging runs in PostgreSQL (db/slot-averages-sql.ts: in the replace transaction the table is
 * emptied, then one statement computes, inserts and returns the averages), giving exactly the numbers of
 * computeSlotAverages (core/rvol-averages.ts, the reference the tests compare it with): reading the
 * window's 4.7 million slot rows into Node cost most of the cycle; only the averages travel now.
 *
 * The table holds one baseline, the newest session's: re-running an older date leaves it (and the keys)
 * alone rather than rolling the scanner back to an older baseline. A full target session without slots
 * fails: averaging the four sessions before it would be a success with that day's data missing.
 */
export async function calculateRvolAverages(deps: CalculateRvolAveragesDeps, date: IsoDate): Promise<TaskResult> {
  const window = rvolWindow(deps.calendar, date, deps.settings.rvolSessions);
  const first = window.sessions[0] ?? date;
  const last = window.sessions[window.sessions.length - 1] ?? date;
  const stored = await volumeSlotCounts(deps.pool, first, last);
  const withData = window.sessions.filter((d) => stored.has(d));
  const missing = window.sessions.filter((d) => !stored.has(d));
  const details = {
    window: window.sessions,
    skipped_early_close: window.skippedEarlyClose,
    sessions_missing: missing,
  };
  if (withData.length === 0) {
    return failed(`no volume slots stored for any session of the window ${window.sessions.join(', ')}`, { details });
  }
  if (window.sessions.includes(date) && !stored.has(date)) {
    return failed(`no volume slots stored for ${date} itself: load_volume_slots has not loaded the session`, { details });
  }

  // Computed either way, so a re-run reports the same counts as the first run did.
  const superseded = await newerBaselineThan(deps.pool, date);
  const averages =
    superseded === null
      ? (await replaceAveragesFromSlots(deps.pool, date, window.sessions, FULL_DAY_SLOTS)).averages
      : await averageSlotsInDb(deps.pool, window.sessions, FULL_DAY_SLOTS);

  const bySymbol = new Map(averages.map((a) => [a.symbol, new Map(a.avgVolumes.map((v, slot) => [slot, v]))]));
  const fewerSessions = averages.filter((a) => a.sessions < window.sessions.length).map((a) => a.symbol);
  const rows = averages.reduce((n, a) => n + a.avgVolumes.length, 0);

  const target: RedisTarget = superseded === null ? await redisTarget(deps, date) : { write: false, reason: superseded };
  let written = 0;
  let removed: string[] = [];
  if (target.write) {
    written = await replaceHashes(deps.redis, rvolEntries(deps.keys, bySymbol), target.options);
    removed = await removeKeysNotIn(deps.redis, deps.keys, 'rvolHistAvg', new Set(bySymbol.keys()), deps.redisChunkSize);
  }
  return completed({
    counts: {
      symbols: bySymbol.size,
      rows,
      sessions_used: withData.length,
      symbols_with_fewer_sessions: fewerSessions.length,
      redis_keys_removed: removed.length,
    },
    details: {
      ...details,
      stored: superseded === null ? { written: true } : { written: false, reason: superseded },
      symbols_with_fewer_sessions: fewerSessions.slice(0, MAX_NAMED),
      ...redisDetails(target, written),
      redis_keys_removed: removed.slice(0, MAX_NAMED),
    },
  });
}
