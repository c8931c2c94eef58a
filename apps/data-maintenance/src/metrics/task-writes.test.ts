import { FULL_DAY_SLOTS } from '@scanner/market-calendar';
import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import { type TaskResult, completed, failed, skipped } from '../tasks/task-result.js';
import { type MeteredTask, TASK_WRITES, writesOf } from './task-writes.js';

const redis = (keys: number) => ({ redis: { written: true, keys, ttl_seconds: 90_000 } });
const redisNotWritten = { redis: { written: false, reason: 'maintenance:last_run holds a newer session' } };

/** Each task's result as the task in src/tasks/ builds it (its count names), with the rows and keys it wrote. */
const CASES: Record<MeteredTask, { result: TaskResult; rows: number; keys: number }> = {
  load_ohlc: {
    result: completed({ counts: { loaded: 500, skipped: 3, previous_session_loaded: 498, previous_session_skipped: 2 } }),
    rows: 998,
    keys: 0,
  },
  load_volume_slots: {
    result: completed({ counts: { symbols: 500, loaded: 499, failed: 0, rows: 499 * 78, slots_per_symbol: 78, without_intraday_bars: 1 } }),
    rows: 499 * 78,
    keys: 0,
  },
  calculate_atr: {
    result: completed({ counts: { symbols: 500, computed: 480, failed: 0, insufficient_history: 20, zero_close: 0 }, details: redis(480) }),
    rows: 480,
    keys: 480,
  },
  calculate_rvol_averages: {
    result: completed({
      counts: { symbols: 490, rows: 490 * 78, sessions_used: 5, symbols_with_fewer_sessions: 4, redis_keys_removed: 7 },
      details: { stored: { written: true }, ...redis(490) },
    }),
    rows: 490 * 78,
    keys: 490,
  },
  enrich_metadata: {
    result: completed({ counts: { symbols: 500, enriched: 495, not_found: 5, failed: 0, deactivated: 12 }, details: redis(495) }),
    rows: 512,
    keys: 495,
  },
  auto_recover_missing_tickers: {
    result: completed({
      counts: {
        snapshot_tickers: 600,
        candidates: 3,
        recovered: 2,
        not_found: 1,
        inactive_at_source: 0,
        failed: 0,
        volume_slot_rows: 156,
        atr_computed: 1,
        rvol_symbols: 2,
      },
      details: { averages_stored: { written: true }, ...redis(5) },
    }),
    rows: 2 + 156 + 1 + 2 * FULL_DAY_SLOTS,
    keys: 5,
  },
  sync_redis: {
    result: completed({
      counts: { universe: 500, repaired: 9, repaired_metadata: 3, repaired_atr: 3, repaired_rvol: 3, removed: 4 },
      details: redis(509),
    }),
    rows: 0,
    keys: 10,
  },
  cleanup_old_data: { result: completed({ counts: { dropped: 5, kept: 15 } }), rows: 0, keys: 0 },
};

describe('TASK_WRITES', () => {
  it('has an entry for every task of the cycle and the weekly cleanup', () => {
    expect(Object.keys(TASK_WRITES).sort()).toEqual([...MAINTENANCE_TASKS, 'cleanup_old_data'].sort());
  });

  it.each(Object.entries(CASES))('%s: the rows and keys its result says it wrote', (task, { result, rows, keys }) => {
    expect(writesOf(task as MeteredTask, result)).toEqual({ rows, keys });
  });

  it('every count the table names is one its task reports', () => {
    for (const [task, spec] of Object.entries(TASK_WRITES)) {
      const reported = Object.keys(CASES[task as MeteredTask].result.counts);
      for (const term of [...spec.rows, ...spec.keys]) {
        if (typeof term !== 'string') expect(reported, `${task}.${term.count}`).toContain(term.count);
      }
    }
  });
});

describe('writesOf', () => {
  it('counts no keys when the task did not write Redis (an older date, caches not current)', () => {
    const result = completed({ counts: { symbols: 500, computed: 480 }, details: redisNotWritten });
    expect(writesOf('calculate_atr', result)).toEqual({ rows: 480, keys: 0 });
    const sync = completed({ counts: { universe: 0, repaired: 0, removed: 0 }, details: redisNotWritten });
    expect(writesOf('sync_redis', sync)).toEqual({ rows: 0, keys: 0 });
  });

  it('counts no averages rows when a newer baseline is stored (computed, not written)', () => {
    const rvol = completed({
      counts: { symbols: 490, rows: 490 * 78 },
      details: { stored: { written: false, reason: 'newer' }, ...redisNotWritten },
    });
    expect(writesOf('calculate_rvol_averages', rvol)).toEqual({ rows: 0, keys: 0 });
    const recover = completed({
      counts: { recovered: 1, volume_slot_rows: 78, atr_computed: 1, rvol_symbols: 1 },
      details: { averages_stored: { written: false, reason: 'newer' }, ...redis(2) },
    });
    expect(writesOf('auto_recover_missing_tickers', recover)).toEqual({ rows: 80, keys: 2 });
  });

  it('a failed or skipped task counts what it reports, and nothing it does not', () => {
    // enrich_metadata failing at the source has still recorded every symbol as seen.
    const enrich = failed('the source could not give ticker details', { counts: { symbols: 40, enriched: 0, failed: 40 } });
    expect(writesOf('enrich_metadata', enrich)).toEqual({ rows: 40, keys: 0 });
    expect(writesOf('calculate_rvol_averages', failed('no volume slots stored'))).toEqual({ rows: 0, keys: 0 });
    expect(writesOf('sync_redis', skipped('input task calculate_atr failed'))).toEqual({ rows: 0, keys: 0 });
  });

  it('ignores counts that are not finite non-negative numbers', () => {
    const odd = { ...completed(), counts: { loaded: Number.NaN, previous_session_loaded: -3 } } as TaskResult;
    expect(writesOf('load_ohlc', odd)).toEqual({ rows: 0, keys: 0 });
    const keys = completed({ counts: { computed: 1 }, details: { redis: { written: true, keys: 'many' } } });
    expect(writesOf('calculate_atr', keys)).toEqual({ rows: 1, keys: 0 });
  });
});
