import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { JOB_NAMES, type JobName } from '../core/job-names.js';
import type { TaskOutcome, TaskResult } from '../tasks/task-result.js';
import { type MeteredTask, writesOf } from './task-writes.js';

export type { MeteredTask } from './task-writes.js';

/** The holder token of each runner lock, null when nobody holds it. */
export interface LockHolders {
  readonly data: string | null;
  readonly new_day: string | null;
}

export type JobStatus = 'completed' | 'failed' | 'interrupted';

export interface MaintenanceMetrics {
  readonly registry: Registry;
  /** A task of the cycle (or the weekly cleanup) ended; `seconds` is how long it ran (ignored for skipped tasks). */
  taskFinished(task: MeteredTask, result: TaskResult, seconds: number): void;
  /** A job (new day, daily cycle, weekly cleanup) ended at `at`; a completed one moves its last-success time. */
  jobFinished(job: JobName, status: JobStatus, at: Date): void;
  /**
   * A success known from the ledger (at start-up), so the last-success time survives a restart; counts no
   * run. The time never moves backwards.
   */
  jobSucceededBefore(job: JobName, at: Date): void;
}

export interface MaintenanceMetricsOptions {
  /** Read at scrape time (redisLockHolders in ./lock-holders.ts). */
  readonly readLockHolders: () => Promise<LockHolders>;
  /** How long a scrape waits for the lock holders before leaving them out (default 2 s). */
  readonly lockReadTimeoutMs?: number;
}

const METERED_TASKS: readonly MeteredTask[] = [...MAINTENANCE_TASKS, 'cleanup_old_data'];
const TASK_OUTCOMES: readonly TaskOutcome[] = ['completed', 'failed', 'skipped'];
const JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'interrupted'];

/**
 * The service's metrics on a Registry of its own (never prom-client's global one, so two services in
 * one test process do not collide), default process metrics included, every name prefixed `maintenance_`.
 * Counters start at 0 for every task and job, so a rate or an alert has a series before the first run.
 */
export function createMaintenanceMetrics(options: MaintenanceMetricsOptions): MaintenanceMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'maintenance_' });

  const taskDuration = new Histogram({
    name: 'maintenance_task_duration_seconds',
    help: 'How long each task ran (completed or failed; skipped tasks do not run)',
    labelNames: ['task'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600],
    registers,
  });
  const taskRuns = new Counter({ name: 'maintenance_task_runs_total', help: 'Tasks ended, by status', labelNames: ['task', 'status'] as const, registers });
  const taskFailures = new Counter({ name: 'maintenance_task_failures_total', help: 'Tasks that failed', labelNames: ['task'] as const, registers });
  const rowsWritten = new Counter({
    name: 'maintenance_rows_written_total',
    help: 'PostgreSQL rows written (inserted, replaced or updated) by each task, as its result reports them',
    labelNames: ['task'] as const,
    registers,
  });
  const keysWritten = new Counter({
    name: 'maintenance_keys_written_total',
    help: 'Redis keys written (created or replaced) by each task, as its result reports them',
    labelNames: ['task'] as const,
    registers,
  });
  const jobRuns = new Counter({ name: 'maintenance_job_runs_total', help: 'Jobs ended, by status', labelNames: ['job', 'status'] as const, registers });
  const lastSuccess = new Gauge({
    name: 'maintenance_job_last_success_timestamp_seconds',
    help: 'When each job last completed (Unix seconds); absent until it has',
    labelNames: ['job'] as const,
    registers,
  });
  const timeoutMs = options.lockReadTimeoutMs ?? 2000;
  // One read per scrape, shared by the two metrics below (prom-client collects them in registration order).
  let lockRead = { holders: Promise.resolve<LockHolders | null>(null), counted: true };
  const lockHolder: Gauge<'lock' | 'holder'> = new Gauge({
    name: 'maintenance_lock_holder',
    help: 'The current holder of each runner lock (1); a lock nobody holds has no series',
    labelNames: ['lock', 'holder'] as const,
    registers,
    // Read at scrape time, so a holder that died (its lease lapsed) disappears without anyone telling us.
    collect: async () => {
      lockRead = { holders: withTimeout(options.readLockHolders(), timeoutMs).catch(() => null), counted: false };
      const holders = await lockRead.holders;
      lockHolder.reset();
      if (holders === null) return;
      for (const lock of ['data', 'new_day'] as const) {
        const holder = holders[lock];
        if (holder !== null) lockHolder.set({ lock, holder }, 1);
      }
    },
  });
  const lockReadFailures: Counter = new Counter({
    name: 'maintenance_lock_holder_read_failures_total',
    help: 'Scrapes that could not read the lock holders (maintenance_lock_holder was left empty)',
    registers,
    collect: async () => {
      const read = lockRead;
      if (read.counted) return;
      read.counted = true;
      if ((await read.holders) === null) lockReadFailures.inc();
    },
  });

  const lastSuccessSeconds = new Map<JobName, number>();
  const succeeded = (job: JobName, at: Date) => {
    const seconds = at.getTime() / 1000;
    if (!Number.isFinite(seconds) || seconds <= (lastSuccessSeconds.get(job) ?? Number.NEGATIVE_INFINITY)) return;
    lastSuccessSeconds.set(job, seconds);
    lastSuccess.set({ job }, seconds);
  };

  for (const task of METERED_TASKS) {
    for (const status of TASK_OUTCOMES) taskRuns.inc({ task, status }, 0);
    taskFailures.inc({ task }, 0);
    rowsWritten.inc({ task }, 0);
    keysWritten.inc({ task }, 0);
  }
  for (const job of JOB_NAMES) for (const status of JOB_STATUSES) jobRuns.inc({ job, status }, 0);

  return {
    registry,
    taskFinished(task, result, seconds) {
      taskRuns.inc({ task, status: result.status });
      if (result.status === 'failed') taskFailures.inc({ task });
      if (result.status !== 'skipped' && Number.isFinite(seconds) && seconds >= 0) taskDuration.observe({ task }, seconds);
      const writes = writesOf(task, result);
      rowsWritten.inc({ task }, writes.rows);
      keysWritten.inc({ task }, writes.keys);
    },
    jobFinished(job, status, at) {
      jobRuns.inc({ job, status });
      if (status === 'completed') succeeded(job, at);
    },
    jobSucceededBefore: succeeded,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
