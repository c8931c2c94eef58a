import type { MaintenanceStatusRecord } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import {
  MAINTENANCE_EXECUTED_FLAG,
  decodeMaintenanceStatus,
  encodeMaintenanceStatus,
  isMaintenanceExecuted,
} from './maintenance-values.js';

const record: MaintenanceStatusRecord = {
  date: '2026-11-20',
  started_at: '2026-11-20T22:00:00.000Z',
  completed_at: null,
  duration_seconds: null,
  all_success: false,
  tasks: {
    load_ohlc: { status: 'completed', rows_loaded: 11873 },
    load_volume_slots: { status: 'failed', error: 'HTTP 503 after 5 attempts' },
    calculate_atr: { status: 'skipped', reason: 'load_volume_slots failed' },
  },
};

describe('maintenance:executed', () => {
  it('is "1" as in the seed, and nothing else counts', () => {
    expect(MAINTENANCE_EXECUTED_FLAG).toBe('1');
    expect(isMaintenanceExecuted('1')).toBe(true);
    for (const value of [null, '0', 'true', '1 ', '']) expect(isMaintenanceExecuted(value)).toBe(false);
  });
});

describe('maintenance:status', () => {
  it('round-trips a record with task results', () => {
    expect(decodeMaintenanceStatus(encodeMaintenanceStatus(record))).toEqual({ ok: true, value: record });
  });

  it('tells a missing key from a bad one', () => {
    expect(decodeMaintenanceStatus(null)).toMatchObject({ ok: false, error: { code: 'MISSING' } });
    expect(decodeMaintenanceStatus('{')).toMatchObject({ ok: false, error: { code: 'INVALID_JSON' } });
    const bad = JSON.stringify({ ...record, tasks: { load_ohlc: { status: 'ok' } } });
    expect(decodeMaintenanceStatus(bad)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_VALUE', path: 'tasks.load_ohlc.status' },
    });
  });

  it('refuses to write a record a reader would refuse', () => {
    expect(() => encodeMaintenanceStatus({ ...record, duration_seconds: 12 })).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE' }) as Error,
    );
  });
});
