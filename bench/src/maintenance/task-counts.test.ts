import type { TaskResult } from '@scanner/data-maintenance';
import { describe, expect, it } from 'vitest';
import { keysWritten, rowsWritten } from './task-counts.js';

function result(counts: Record<string, number>, details: Record<string, unknown> = {}): TaskResult {
  return { status: 'completed', counts, failures: [], skipped: {}, details };
}

describe('rowsWritten', () => {
  it('counts both sessions load_ohlc replaces', () => {
    expect(rowsWritten('load_ohlc', result({ loaded: 12_000, skipped: 3, previous_session_loaded: 11_990 }))).toBe(23_990);
  });

  it('counts slot rows, ATR rows, average rows and metadata symbols', () => {
    expect(rowsWritten('load_volume_slots', result({ rows: 936_000, loaded: 12_000 }))).toBe(936_000);
    expect(rowsWritten('calculate_atr', result({ computed: 11_900, symbols: 12_000 }))).toBe(11_900);
    expect(rowsWritten('calculate_rvol_averages', result({ rows: 936_000, symbols: 12_000 }))).toBe(936_000);
    expect(rowsWritten('enrich_metadata', result({ symbols: 12_000, enriched: 11_999 }))).toBe(12_000);
  });

  it('is zero for a task that writes no table', () => {
    expect(rowsWritten('sync_redis', result({ universe: 12_000 }))).toBe(0);
  });
});

describe('keysWritten', () => {
  it('takes the keys a task reports writing, plus the RVOL keys it removed', () => {
    expect(keysWritten('calculate_atr', result({}, { redis: { written: true, keys: 11_900, ttl_seconds: 100 } }))).toBe(11_900);
    expect(keysWritten('calculate_rvol_averages', result({ redis_keys_removed: 4 }, { redis: { written: true, keys: 12_000 } }))).toBe(12_004);
  });

  it('counts the universe set once in sync_redis, with the keys repaired and removed', () => {
    const synced = result({ universe: 12_000, repaired: 5, removed: 2 }, { redis: { written: true, keys: 12_005 } });
    expect(keysWritten('sync_redis', synced)).toBe(8);
  });

  it('is zero when the task did not write Redis', () => {
    expect(keysWritten('calculate_atr', result({}, { redis: { written: false, reason: 'older date' } }))).toBe(0);
    expect(keysWritten('sync_redis', result({ universe: 0 }, { redis: { written: false } }))).toBe(0);
  });
});
