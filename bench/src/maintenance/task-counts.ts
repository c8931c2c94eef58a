import type { TaskResult } from '@scanner/data-maintenance';

function count(result: TaskResult, name: string): number {
  return result.counts[name] ?? 0;
}

function redisKeys(result: TaskResult): number {
  const redis = result.details['redis'];
  if (typeof redis !== 'object' || redis === null) return 0;
  const keys = (redis as { keys?: unknown }).keys;
  return typeof keys === 'number' ? keys : 0;
}

/**
 * Rows a cycle task wrote to PostgreSQL, from its own counts: what rows/s is computed over. Each task
 * counts what it replaced (load_ohlc also refreshes the previous session; enrich_metadata records every
 * symbol seen and upserts the details of each, counted once per symbol).
 */
export function rowsWritten(task: string, result: TaskResult): number {
  switch (task) {
    case 'load_ohlc':
      return count(result, 'loaded') + count(result, 'previous_session_loaded');
    case 'load_volume_slots':
      return count(result, 'rows');
    case 'calculate_atr':
      return count(result, 'computed');
    case 'calculate_rvol_averages':
      return count(result, 'rows');
    case 'enrich_metadata':
      return count(result, 'symbols');
    case 'auto_recover_missing_tickers':
      return count(result, 'recovered') + count(result, 'volume_slot_rows') + count(result, 'atr_computed');
    default:
      return 0;
  }
}

/**
 * Redis keys a cycle task wrote or deleted. sync_redis reports the universe's members plus the keys it
 * repaired; the universe is one key, so it counts as one here.
 */
export function keysWritten(task: string, result: TaskResult): number {
  switch (task) {
    case 'calculate_rvol_averages':
      return redisKeys(result) + count(result, 'redis_keys_removed');
    case 'sync_redis':
      return (result.details['redis'] as { written?: unknown } | undefined)?.written === true
        ? 1 + count(result, 'repaired') + count(result, 'removed')
        : 0;
    default:
      return redisKeys(result);
  }
}
