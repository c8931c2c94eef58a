import { FULL_DAY_SLOTS } from '@scanner/market-calendar';
import type { MaintenanceTaskName } from '@scanner/shared-types';
import type { TaskResult } from '../tasks/task-result.js';

export type MeteredTask = MaintenanceTaskName | 'cleanup_old_data';

/**
 * One number a task reports: `counts[count]` (× `each`), or 1 when `oneKey` and the count is positive (a
 * set is one key, however many members), counted only when `details[storedFlag].written` is true where a
 * task computes rows it may decide not to store (an older date never replaces a newer RVOL baseline).
 */
export interface CountTerm {
  readonly count: string;
  readonly each?: number;
  readonly oneKey?: true;
  readonly storedFlag?: string;
}

/** `details.redis.keys` when `details.redis.written` (redisDetails in src/tasks/redis-target.ts). */
export const REDIS_DETAILS_KEYS = 'details.redis.keys';

export interface TaskWrites {
  /** Rows written to PostgreSQL: inserted, replaced or updated. */
  readonly rows: readonly CountTerm[];
  /** Redis keys written (created or replaced); deletions are not writes. */
  readonly keys: readonly (CountTerm | typeof REDIS_DETAILS_KEYS)[];
}

/**
 * Which of each task's reported numbers are rows written to PostgreSQL and which are Redis keys written,
 * read off the tasks in src/tasks/. A task that fails or is skipped early reports fewer counts; an absent
 * count is 0, which is what it wrote.
 */
export const TASK_WRITES: Readonly<Record<MeteredTask, TaskWrites>> = {
  // market_data_daily: the session's bars, then the previous session's again (replaceDailyBars).
  load_ohlc: { rows: [{ count: 'loaded' }, { count: 'previous_session_loaded' }], keys: [] },
  // volume_slots: `rows` slot rows (symbols × slots_per_symbol).
  load_volume_slots: { rows: [{ count: 'rows' }], keys: [] },
  // atr_daily: one row per symbol with an ATR; atr:data:<SYM> for each when Redis is current.
  calculate_atr: { rows: [{ count: 'computed' }], keys: [REDIS_DETAILS_KEYS] },
  // volume_slot_averages (only when no newer baseline is stored); rvol:hist:avg:<SYM>.
  calculate_rvol_averages: { rows: [{ count: 'rows', storedFlag: 'stored' }], keys: [REDIS_DETAILS_KEYS] },
  // ticker_metadata: every symbol seen (recordSeen, then its details upserted) and the ones deactivated.
  enrich_metadata: { rows: [{ count: 'symbols' }, { count: 'deactivated' }], keys: [REDIS_DETAILS_KEYS] },
  // ticker_metadata, volume_slots, atr_daily and volume_slot_averages (FULL_DAY_SLOTS rows per symbol,
  // unless a newer baseline is stored) of the recovered symbols; their metadata, ATR and RVOL keys.
  auto_recover_missing_tickers: {
    rows: [
      { count: 'recovered' },
      { count: 'volume_slot_rows' },
      { count: 'atr_computed' },
      { count: 'rvol_symbols', each: FULL_DAY_SLOTS, storedFlag: 'averages_stored' },
    ],
    keys: [REDIS_DETAILS_KEYS],
  },
  // No table. ticker:universe (one set key) and the per-ticker keys it rewrote; details.redis.keys
  // counts the universe's members, so it is not used here.
  sync_redis: { rows: [], keys: [{ count: 'universe', oneKey: true }, { count: 'repaired' }] },
  // Drops partitions: nothing written.
  cleanup_old_data: { rows: [], keys: [] },
};

/** Rows and keys a task's result says it wrote. */
export function writesOf(task: MeteredTask, result: TaskResult): { rows: number; keys: number } {
  const spec = TASK_WRITES[task];
  const sum = (terms: readonly (CountTerm | typeof REDIS_DETAILS_KEYS)[]) =>
    terms.reduce((total, term) => total + (term === REDIS_DETAILS_KEYS ? redisKeys(result) : termValue(term, result)), 0);
  return { rows: sum(spec.rows), keys: sum(spec.keys) };
}

function termValue(term: CountTerm, result: TaskResult): number {
  if (term.storedFlag !== undefined && !written(result.details[term.storedFlag])) return 0;
  const value = countable(result.counts[term.count]);
  if (term.oneKey) return value > 0 ? 1 : 0;
  return value * (term.each ?? 1);
}

function redisKeys(result: TaskResult): number {
  const redis = result.details['redis'];
  return written(redis) ? countable((redis as { keys?: unknown }).keys) : 0;
}

function written(detail: unknown): boolean {
  return typeof detail === 'object' && detail !== null && (detail as { written?: unknown }).written === true;
}

/** A count as a metric increment: anything but a finite non-negative number is 0 (a counter never goes down). */
function countable(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}
