import { MAINTENANCE_TASKS, type MaintenanceTaskStatus } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import { planCycle, skipReason } from './cycle-plan.js';
import { TASK_INPUTS } from './task-inputs.js';

const statuses = (entries: Record<string, MaintenanceTaskStatus>) => new Map(Object.entries(entries));

describe('planCycle', () => {
  it('runs the whole cycle for a date that never ran', () => {
    expect(planCycle(null, new Map())).toEqual({ tasks: MAINTENANCE_TASKS, resumedFrom: null });
  });

  it('runs the whole cycle again when every task completed', () => {
    const all = new Map(MAINTENANCE_TASKS.map((t) => [t, 'completed' as const]));
    expect(planCycle(null, all)).toEqual({ tasks: MAINTENANCE_TASKS, resumedFrom: null });
  });

  it('runs no task when every task completed but the last run was never recorded finished', () => {
    const all = new Map(MAINTENANCE_TASKS.map((t) => [t, 'completed' as const]));
    expect(planCycle(null, all, true)).toEqual({ tasks: [], resumedFrom: null });
    expect(planCycle(null, statuses({ load_ohlc: 'completed', sync_redis: 'failed' }), true).tasks).toEqual(MAINTENANCE_TASKS.slice(1));
    expect(planCycle(['sync_redis'], all, true).tasks).toEqual(['sync_redis']);
  });

  it('resumes at the first task that did not complete and redoes everything after it', () => {
    const latest = statuses({ load_ohlc: 'completed', load_volume_slots: 'completed', calculate_atr: 'interrupted', enrich_metadata: 'completed' });
    expect(planCycle(null, latest)).toEqual({
      tasks: ['calculate_atr', 'calculate_rvol_averages', 'enrich_metadata', 'auto_recover_missing_tickers', 'sync_redis'],
      resumedFrom: 'calculate_atr',
    });
  });

  it('runs exactly the tasks asked for, in cycle order', () => {
    expect(planCycle(['sync_redis', 'calculate_atr'], statuses({ load_ohlc: 'failed' }))).toEqual({
      tasks: ['calculate_atr', 'sync_redis'],
      resumedFrom: null,
    });
  });
});

describe('skipReason', () => {
  it('skips a task whose input failed or was skipped in this run', () => {
    expect(skipReason('calculate_atr', statuses({ load_ohlc: 'failed' }), new Map())).toBe('input task load_ohlc failed');
    expect(skipReason('sync_redis', statuses({ calculate_atr: 'completed', calculate_rvol_averages: 'skipped' }), new Map())).toBe(
      'input task calculate_rvol_averages skipped',
    );
  });

  it('looks at the latest earlier attempt for inputs outside this run', () => {
    expect(skipReason('calculate_rvol_averages', new Map(), statuses({ load_volume_slots: 'interrupted' }))).toBe(
      'input task load_volume_slots interrupted',
    );
    expect(skipReason('calculate_rvol_averages', new Map(), statuses({ load_volume_slots: 'completed' }))).toBeNull();
    expect(skipReason('calculate_rvol_averages', statuses({ load_volume_slots: 'completed' }), statuses({ load_volume_slots: 'failed' }))).toBeNull();
  });

  it('lets a task run whose inputs never ran (an explicit --tasks choice)', () => {
    expect(skipReason('calculate_atr', new Map(), new Map())).toBeNull();
  });

  it('does not hold sync_redis back for a failed auto-recovery', () => {
    const run = statuses({ calculate_atr: 'completed', calculate_rvol_averages: 'completed', enrich_metadata: 'completed', auto_recover_missing_tickers: 'failed' });
    expect(skipReason('sync_redis', run, new Map())).toBeNull();
  });

  it('every input runs before the task that reads it', () => {
    for (const task of MAINTENANCE_TASKS) {
      for (const input of TASK_INPUTS[task]) expect(MAINTENANCE_TASKS.indexOf(input)).toBeLessThan(MAINTENANCE_TASKS.indexOf(task));
    }
  });
});
