import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { type Sample, parsePrometheusText, samplesOf, valueOf } from '../../test/support/prometheus-text.js';
import { JOB_NAMES } from '../core/job-names.js';
import { completed, failed, skipped } from '../tasks/task-result.js';
import { type LockHolders, type MaintenanceMetrics, createMaintenanceMetrics } from './maintenance-metrics.js';

const nobody: LockHolders = { data: null, new_day: null };
const scrape = async (metrics: MaintenanceMetrics): Promise<Sample[]> => parsePrometheusText(await metrics.registry.metrics());

describe('createMaintenanceMetrics', () => {
  it('starts every task and job counter at 0, and has the default process metrics with the prefix', async () => {
    const samples = await scrape(createMaintenanceMetrics({ readLockHolders: async () => nobody }));
    for (const task of [...MAINTENANCE_TASKS, 'cleanup_old_data']) {
      for (const status of ['completed', 'failed', 'skipped']) expect(valueOf(samples, 'maintenance_task_runs_total', { task, status })).toBe(0);
      expect(valueOf(samples, 'maintenance_task_failures_total', { task })).toBe(0);
      expect(valueOf(samples, 'maintenance_rows_written_total', { task })).toBe(0);
      expect(valueOf(samples, 'maintenance_keys_written_total', { task })).toBe(0);
    }
    for (const job of JOB_NAMES) {
      for (const status of ['completed', 'failed', 'interrupted']) expect(valueOf(samples, 'maintenance_job_runs_total', { job, status })).toBe(0);
    }
    expect(samplesOf(samples, 'maintenance_job_last_success_timestamp_seconds')).toEqual([]);
    expect(samplesOf(samples, 'maintenance_lock_holder')).toEqual([]);
    expect(valueOf(samples, 'maintenance_process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(samplesOf(samples, 'maintenance_nodejs_eventloop_lag_seconds')).toHaveLength(1);
    expect(samples.every((s) => s.name.startsWith('maintenance_'))).toBe(true);
  });

  it('records a finished task: runs by status, failures, duration, rows and keys written', async () => {
    const metrics = createMaintenanceMetrics({ readLockHolders: async () => nobody });
    metrics.taskFinished('calculate_atr', completed({ counts: { computed: 480 }, details: { redis: { written: true, keys: 480, ttl_seconds: 1 } } }), 2.5);
    metrics.taskFinished('calculate_atr', failed('no daily bars stored', { counts: { computed: 0 } }), 0.25);
    metrics.taskFinished('load_ohlc', completed({ counts: { loaded: 100, previous_session_loaded: 99 } }), 40);
    metrics.taskFinished('sync_redis', skipped('input task calculate_atr failed'), 0);

    const samples = await scrape(metrics);
    expect(valueOf(samples, 'maintenance_task_runs_total', { task: 'calculate_atr', status: 'completed' })).toBe(1);
    expect(valueOf(samples, 'maintenance_task_runs_total', { task: 'calculate_atr', status: 'failed' })).toBe(1);
    expect(valueOf(samples, 'maintenance_task_failures_total', { task: 'calculate_atr' })).toBe(1);
    expect(valueOf(samples, 'maintenance_task_failures_total', { task: 'load_ohlc' })).toBe(0);
    expect(valueOf(samples, 'maintenance_rows_written_total', { task: 'calculate_atr' })).toBe(480);
    expect(valueOf(samples, 'maintenance_keys_written_total', { task: 'calculate_atr' })).toBe(480);
    expect(valueOf(samples, 'maintenance_rows_written_total', { task: 'load_ohlc' })).toBe(199);
    expect(valueOf(samples, 'maintenance_keys_written_total', { task: 'load_ohlc' })).toBe(0);

    expect(valueOf(samples, 'maintenance_task_duration_seconds_count', { task: 'calculate_atr' })).toBe(2);
    expect(valueOf(samples, 'maintenance_task_duration_seconds_sum', { task: 'calculate_atr' })).toBe(2.75);
    expect(valueOf(samples, 'maintenance_task_duration_seconds_bucket', { task: 'calculate_atr', le: '0.5' })).toBe(1);
    expect(valueOf(samples, 'maintenance_task_duration_seconds_bucket', { task: 'calculate_atr', le: '5' })).toBe(2);
    expect(valueOf(samples, 'maintenance_task_duration_seconds_bucket', { task: 'load_ohlc', le: '30' })).toBe(0);
    expect(valueOf(samples, 'maintenance_task_duration_seconds_bucket', { task: 'load_ohlc', le: '60' })).toBe(1);
    // A skipped task did not run: counted, but no duration.
    expect(valueOf(samples, 'maintenance_task_runs_total', { task: 'sync_redis', status: 'skipped' })).toBe(1);
    expect(samplesOf(samples, 'maintenance_task_duration_seconds_count', { task: 'sync_redis' })).toEqual([]);
  });

  it('records a finished job; only a completed one moves its last success', async () => {
    const metrics = createMaintenanceMetrics({ readLockHolders: async () => nobody });
    metrics.jobFinished('new_day', 'completed', new Date('2026-11-20T08:00:00Z'));
    metrics.jobFinished('daily_maintenance', 'completed', new Date('2026-11-19T22:00:05Z'));
    metrics.jobFinished('daily_maintenance', 'failed', new Date('2026-11-20T22:00:05Z'));
    metrics.jobFinished('weekly_cleanup', 'interrupted', new Date('2026-11-22T08:00:00Z'));

    const samples = await scrape(metrics);
    expect(valueOf(samples, 'maintenance_job_runs_total', { job: 'new_day', status: 'completed' })).toBe(1);
    expect(valueOf(samples, 'maintenance_job_runs_total', { job: 'daily_maintenance', status: 'completed' })).toBe(1);
    expect(valueOf(samples, 'maintenance_job_runs_total', { job: 'daily_maintenance', status: 'failed' })).toBe(1);
    expect(valueOf(samples, 'maintenance_job_runs_total', { job: 'weekly_cleanup', status: 'interrupted' })).toBe(1);
    expect(valueOf(samples, 'maintenance_job_last_success_timestamp_seconds', { job: 'new_day' })).toBe(Date.parse('2026-11-20T08:00:00Z') / 1000);
    expect(valueOf(samples, 'maintenance_job_last_success_timestamp_seconds', { job: 'daily_maintenance' })).toBe(
      Date.parse('2026-11-19T22:00:05Z') / 1000,
    );
    expect(samplesOf(samples, 'maintenance_job_last_success_timestamp_seconds', { job: 'weekly_cleanup' })).toEqual([]);
  });

  it('takes a last success known from the ledger without counting a run, and never moves it backwards', async () => {
    const metrics = createMaintenanceMetrics({ readLockHolders: async () => nobody });
    metrics.jobSucceededBefore('daily_maintenance', new Date('2026-11-19T22:00:05Z'));
    let samples = await scrape(metrics);
    expect(valueOf(samples, 'maintenance_job_last_success_timestamp_seconds', { job: 'daily_maintenance' })).toBe(Date.parse('2026-11-19T22:00:05Z') / 1000);
    expect(valueOf(samples, 'maintenance_job_runs_total', { job: 'daily_maintenance', status: 'completed' })).toBe(0);

    metrics.jobFinished('daily_maintenance', 'completed', new Date('2026-11-20T22:00:05Z'));
    metrics.jobSucceededBefore('daily_maintenance', new Date('2026-11-18T22:00:05Z'));
    samples = await scrape(metrics);
    expect(valueOf(samples, 'maintenance_job_last_success_timestamp_seconds', { job: 'daily_maintenance' })).toBe(Date.parse('2026-11-20T22:00:05Z') / 1000);
    expect(valueOf(samples, 'maintenance_job_runs_total', { job: 'daily_maintenance', status: 'completed' })).toBe(1);
  });

  it('reads the lock holders at each scrape: a holder appears, changes and disappears', async () => {
    let holders: LockHolders = nobody;
    const metrics = createMaintenanceMetrics({ readLockHolders: async () => holders });
    expect(samplesOf(await scrape(metrics), 'maintenance_lock_holder')).toEqual([]);

    holders = { data: 'host-a-41-x', new_day: 'host-b-7-y' };
    let samples = await scrape(metrics);
    expect(samplesOf(samples, 'maintenance_lock_holder')).toHaveLength(2);
    expect(valueOf(samples, 'maintenance_lock_holder', { lock: 'data', holder: 'host-a-41-x' })).toBe(1);
    expect(valueOf(samples, 'maintenance_lock_holder', { lock: 'new_day', holder: 'host-b-7-y' })).toBe(1);

    holders = { data: 'host-c-9-z', new_day: null };
    samples = await scrape(metrics);
    expect(samplesOf(samples, 'maintenance_lock_holder')).toEqual([{ name: 'maintenance_lock_holder', labels: { lock: 'data', holder: 'host-c-9-z' }, value: 1 }]);

    holders = nobody;
    expect(samplesOf(await scrape(metrics), 'maintenance_lock_holder')).toEqual([]);
  });

  it('a scrape whose lock read fails or hangs still answers, without holders, and counts the failure', async () => {
    let read: () => Promise<LockHolders> = async () => ({ data: 'host-a', new_day: null });
    const metrics = createMaintenanceMetrics({ readLockHolders: () => read(), lockReadTimeoutMs: 50 });
    expect(samplesOf(await scrape(metrics), 'maintenance_lock_holder')).toHaveLength(1);

    read = async () => {
      throw new Error('Connection is closed.');
    };
    let samples = await scrape(metrics);
    expect(samplesOf(samples, 'maintenance_lock_holder')).toEqual([]);
    expect(valueOf(samples, 'maintenance_lock_holder_read_failures_total')).toBe(1);

    read = () => new Promise(() => undefined);
    samples = await scrape(metrics);
    expect(samplesOf(samples, 'maintenance_lock_holder')).toEqual([]);
    expect(valueOf(samples, 'maintenance_lock_holder_read_failures_total')).toBe(2);
    expect(valueOf(samples, 'maintenance_task_runs_total', { task: 'load_ohlc', status: 'completed' })).toBe(0);
  });

  it('uses a registry of its own: two instances do not share counts or touch the global registry', async () => {
    const a = createMaintenanceMetrics({ readLockHolders: async () => nobody });
    const b = createMaintenanceMetrics({ readLockHolders: async () => nobody });
    a.taskFinished('load_ohlc', completed({ counts: { loaded: 5 } }), 1);
    expect(valueOf(await scrape(a), 'maintenance_rows_written_total', { task: 'load_ohlc' })).toBe(5);
    expect(valueOf(await scrape(b), 'maintenance_rows_written_total', { task: 'load_ohlc' })).toBe(0);
    expect(globalRegistry.getSingleMetric('maintenance_rows_written_total')).toBeUndefined();
  });
});
