import { describe, expect, it } from 'vitest';
import { MAINTENANCE_TASKS, validateMaintenanceStatus } from './maintenance-status.js';

const finished = {
  date: '2026-11-20',
  started_at: '2026-11-20T22:00:00.000Z',
  completed_at: '2026-11-20T22:11:40.500Z',
  duration_seconds: 700.5,
  all_success: true,
  tasks: {
    load_ohlc: { status: 'completed', rows_loaded: 11873, previous_session_rows: 11870 },
    load_volume_slots: { status: 'completed', rows_loaded: 926_094 },
    calculate_atr: { status: 'completed', symbols: 11520 },
    calculate_rvol_averages: { status: 'completed', symbols: 11490 },
    enrich_metadata: { status: 'completed', updated: 11873, failed: [] },
    auto_recover_missing_tickers: { status: 'completed', recovered: ['ACAHW'] },
    sync_redis: { status: 'completed', removed: 3 },
  },
};

// As the Python original wrote it: microseconds, a local offset.
const running = {
  date: '2026-11-20',
  started_at: '2026-11-20T17:00:00.123456-05:00',
  completed_at: null,
  duration_seconds: null,
  all_success: false,
  tasks: { load_ohlc: { status: 'completed', rows_loaded: 11873 }, load_volume_slots: { status: 'running' } },
};

describe('MAINTENANCE_TASKS', () => {
  it('lists the seven tasks in running order', () => {
    expect(MAINTENANCE_TASKS).toEqual([
      'load_ohlc',
      'load_volume_slots',
      'calculate_atr',
      'calculate_rvol_averages',
      'enrich_metadata',
      'auto_recover_missing_tickers',
      'sync_redis',
    ]);
  });
});

describe('validateMaintenanceStatus', () => {
  it('accepts a finished cycle with task results kept whole', () => {
    expect(validateMaintenanceStatus(finished)).toEqual({ ok: true, value: finished });
  });

  it('accepts a cycle still running', () => {
    expect(validateMaintenanceStatus(running)).toEqual({ ok: true, value: running });
  });

  it('accepts every task status', () => {
    for (const status of ['running', 'completed', 'failed', 'skipped', 'interrupted']) {
      const record = { ...running, tasks: { sync_redis: { status } } };
      expect(validateMaintenanceStatus(record).ok).toBe(true);
    }
  });

  it.each([
    ['an unknown task', { ...running, tasks: { load_ohcl: { status: 'completed' } } }, 'tasks'],
    ['an unknown status', { ...running, tasks: { load_ohlc: { status: 'done' } } }, 'tasks.load_ohlc.status'],
    ['a task without status', { ...running, tasks: { load_ohlc: { rows_loaded: 1 } } }, 'tasks.load_ohlc.status'],
    ['a date that does not exist', { ...finished, date: '2026-11-31' }, 'date'],
    ['a start that is no instant', { ...finished, started_at: '17:00' }, 'started_at'],
    ['a negative duration', { ...finished, duration_seconds: -1 }, 'duration_seconds'],
    ['an end without a duration', { ...finished, duration_seconds: null }, 'duration_seconds'],
    ['a duration without an end', { ...running, duration_seconds: 3 }, 'duration_seconds'],
    ['all_success as text', { ...finished, all_success: 'true' }, 'all_success'],
    ['tasks as an array', { ...finished, tasks: [] }, 'tasks'],
  ])('refuses %s', (_label, value, path) => {
    expect(validateMaintenanceStatus(value)).toMatchObject({ ok: false, error: { code: 'INVALID_STATUS', path } });
  });

  it('refuses a value that is not a record', () => {
    for (const value of [null, 'status', [finished]]) {
      expect(validateMaintenanceStatus(value)).toMatchObject({ ok: false, error: { code: 'INVALID_STATUS' } });
    }
  });
});
