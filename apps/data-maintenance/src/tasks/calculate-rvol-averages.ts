import { FULL_DAY_SLOTS, type IsoDate } from '@scanner/market-calendar';
import { type SlotAverage, computeSlotAverages, rvolWindow } from '../core/rvol-averages.js';
import { newerBaselineThan, replaceAverages } from '../db/volume-slot-averages.js';
import { readSlotsForSessions, symbolsWithSlots, volumeSlotCounts } from '../db/volume-slots.js';
import { chunks, replaceHashes } from '../redis/replace-keys.js';
import { removeKeysNotIn } from '../redis/ticker-key-families.js';
import { averagesBySymbol, rvolEntries } from './cache-entries.js';
import { type RedisTarget, type RedisTargetDeps, redisDetails, redisTarget } from './redis-target.js';
import type { TaskContext } from './task-context.js';
import { MAX_NAMED, type TaskResult, completed, failed } from './task-result.js';

export type CalculateRvolAveragesDeps = Pick<TaskContext, 'pool'> & RedisTargetDeps;

/** Symbols read from volume_slots per query: bounds memory for a whole market. */
const READ_CHUNK = 500;

/**
 * Per symbol and slot, the mean cumulative volume over the last `rvolSessions` FULL sessions up to the
 * date (early-close sessions passed over), for all 78 slots; volume_slot_averages becomes exactly this
 * set in one transaction, and each rvol:hist:avg:<SYM> is swapped in whole (readers never see it missing).
 * Keys of symbols that no longer have averages are removed, as the table rows are.
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

  const averages: SlotAverage[] = [];
  const symbols = await symbolsWithSlots(deps.pool, window.sessions);
  for (const chunk of chunks(symbols, READ_CHUNK)) {
    const samples = await readSlotsForSessions(deps.pool, window.sessions, chunk);
    averages.push(...computeSlotAverages(samples, window.sessions, FULL_DAY_SLOTS));
  }
  // Computed either way, so a re-run reports the same counts as the first run did.
  const superseded = await newerBaselineThan(deps.pool, date);
  if (superseded === null) await replaceAverages(deps.pool, date, averages);

  const bySymbol = averagesBySymbol(averages);
  const fewerSessions = [...new Set(averages.filter((a) => a.sessions < window.sessions.length).map((a) => a.symbol))];

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
      rows: averages.length,
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
