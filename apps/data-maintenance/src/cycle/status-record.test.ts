import { validateMaintenanceStatus } from '@scanner/shared-types';
import { MAINTENANCE_TASKS, type MaintenanceTaskName } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import { type TaskEntry, buildStatusRecord } from './status-record.js';

const started = new Date('2026-11-20T22:00:00Z');
const done: TaskEntry = { status: 'completed', attempt: 1, startedAt: started, finishedAt: new Date('2026-11-20T22:01:00Z'), result: { counts: { loaded: 3 } } };

describe('buildStatusRecord', () => {
  it('is running (no completion, not all_success) until finished, and valid for the lib', () => {
    const record = buildStatusRecord({ date: '2026-11-20', startedAt: started, finishedAt: null, tasks: new Map([['load_ohlc', done]]) });
    expect(record).toMatchObject({ completed_at: null, duration_seconds: null, all_success: false });
    expect(record.tasks.load_ohlc).toMatchObject({ status: 'completed', counts: { loaded: 3 }, attempt: 1 });
    expect(validateMaintenanceStatus(record).ok).toBe(true);
  });

  it('is all_success only when every task of the cycle completed', () => {
    const all = new Map<MaintenanceTaskName, TaskEntry>(MAINTENANCE_TASKS.map((t) => [t, done]));
    const finishedAt = new Date('2026-11-20T22:05:30Z');
    const record = buildStatusRecord({ date: '2026-11-20', startedAt: started, finishedAt, tasks: all });
    expect(record).toMatchObject({ all_success: true, duration_seconds: 330, completed_at: finishedAt.toISOString() });
    all.set('sync_redis', { status: 'skipped', result: { reason: 'input task calculate_atr failed' } });
    const partial = buildStatusRecord({ date: '2026-11-20', startedAt: started, finishedAt, tasks: all });
    expect(partial.all_success).toBe(false);
    expect(partial.tasks.sync_redis).toEqual({ status: 'skipped', reason: 'input task calculate_atr failed' });
  });

  it('is never all_success for a run that lost its lease, even with every task completed', () => {
    const all = new Map<MaintenanceTaskName, TaskEntry>(MAINTENANCE_TASKS.map((t) => [t, done]));
    const record = buildStatusRecord({ date: '2026-11-20', startedAt: started, finishedAt: new Date('2026-11-20T22:05:30Z'), tasks: all, stopped: true });
    expect(record.all_success).toBe(false);
  });

  it('the entry status wins over a status field inside the result', () => {
    const record = buildStatusRecord({
      date: '2026-11-20',
      startedAt: started,
      finishedAt: null,
      tasks: new Map([['load_ohlc', { status: 'running', result: { status: 'completed' } }]]),
    });
    expect(record.tasks.load_ohlc?.status).toBe('running');
  });
});
