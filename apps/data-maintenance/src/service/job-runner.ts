import type { IsoDate } from '@scanner/market-calendar';
import { MAINTENANCE_TASKS, type MaintenanceTaskName } from '@scanner/shared-types';
import type { NewDayConfig } from '../config.js';
import type { JobName } from '../core/job-names.js';
import { type CycleDeps, SHUTTING_DOWN, runCycle } from '../cycle/run-cycle.js';
import { interruptUnderLock, withRunnerLock } from '../cycle/with-runner-lock.js';
import { completedJobDates } from '../db/job-runs.js';
import { datesFullyCompleted } from '../db/run-ledger.js';
import { runNewDayJob } from '../jobs/new-day-job.js';
import type { MaintenanceMetrics } from '../metrics/maintenance-metrics.js';
import { LockHeldError, type RunnerLock } from '../redis/runner-lock.js';
import { errorInfo } from '../tasks/task-result.js';
import { runWeeklyCleanupJob } from './weekly-cleanup-job.js';

export interface JobRunnerDeps extends CycleDeps {
  readonly newDay: NewDayConfig;
  readonly newDayMinute: number;
  /** How long a dead holder keeps a runner lock. */
  readonly leaseMs: number;
  readonly metrics: MaintenanceMetrics;
  /** Aborted when the service shuts down: a cycle stops before its next task. */
  readonly stop: AbortSignal;
}

export interface JobRequest {
  readonly job: JobName;
  readonly date: IsoDate;
  /** Recorded in the ledgers: schedule, catch_up, http, health_check. */
  readonly trigger: string;
  /** daily_maintenance only: null (or absent) = the whole cycle, resuming an incomplete run. */
  readonly tasks?: readonly MaintenanceTaskName[] | null;
  /**
   * Exactly once: after taking the lock, the ledger is read again and nothing runs if the run is already
   * done (another instance finished it meanwhile). Scheduled and catch-up runs; a manual trigger is not.
   */
  readonly once: boolean;
}

export type JobOutcome =
  | { readonly status: 'completed' | 'failed' | 'interrupted'; readonly detail: Readonly<Record<string, unknown>> }
  | { readonly status: 'already_done' }
  | { readonly status: 'lock_held'; readonly holder: string | null };

/** A job under way in this process, for /status and for a shutdown past its grace. */
export interface ActiveJob {
  readonly job: JobName;
  readonly date: IsoDate;
  readonly trigger: string;
  readonly startedAt: Date;
  readonly lockKey: string;
  readonly lock: RunnerLock;
}

export interface JobRunner {
  /**
   * Runs one job under its lock (the new-day lock for new_day, the data lock for the rest). A lock held
   * by another runner is an outcome (`lock_held`, logged `job_lock_held`), not an error. `onLocked` is
   * called once the lock is held, before the ledger re-check: a trigger answers then.
   */
  run(request: JobRequest, hooks?: { readonly onLocked?: () => void }): Promise<JobOutcome>;
  active(): readonly ActiveJob[];
  /**
   * A shutdown past its grace: the ledger rows of every job still under way are marked interrupted and
   * their locks released, so the next start resumes them at once. Returns what was marked.
   */
  abandon(): Promise<ReadonlyArray<Readonly<Record<string, unknown>>>>;
}

export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const running = new Set<ActiveJob>();

  const alreadyDone = async (request: JobRequest): Promise<boolean> => {
    switch (request.job) {
      case 'daily_maintenance':
        return (await datesFullyCompleted(deps.pool, [request.date], MAINTENANCE_TASKS)).has(request.date);
      case 'new_day':
      case 'weekly_cleanup':
        return (await completedJobDates(deps.pool, request.job, [request.date])).has(request.date);
    }
  };

  const execute = async (request: JobRequest, lock: RunnerLock): Promise<JobOutcome> => {
    switch (request.job) {
      case 'daily_maintenance': {
        const tasks = request.tasks ?? null;
        const outcome = await runCycle(deps, {
          date: request.date,
          tasks,
          trigger: request.trigger,
          lease: lock,
          stop: deps.stop,
          onTaskFinished: (task, result, seconds) => deps.metrics.taskFinished(task, result, seconds),
        });
        const status = outcome.stopped?.code === SHUTTING_DOWN ? 'interrupted' : outcome.succeeded ? 'completed' : 'failed';
        // Only a whole cycle says the day's maintenance succeeded; a repair of one task does not.
        if (tasks === null) safely(() => deps.metrics.jobFinished('daily_maintenance', status, deps.clock.now()));
        return {
          status,
          detail: {
            run_id: outcome.runId,
            all_success: outcome.allSuccess,
            resumed_from: outcome.resumedFrom,
            ...(outcome.stopped ? { stopped: outcome.stopped } : {}),
          },
        };
      }
      case 'new_day': {
        const outcome = await runNewDayJob({ ...deps, newDayMinute: deps.newDayMinute }, { date: request.date, trigger: request.trigger });
        safely(() => deps.metrics.jobFinished('new_day', 'completed', deps.clock.now()));
        return {
          status: 'completed',
          detail: { job_run_id: outcome.jobRunId, published: outcome.published, receivers: outcome.receivers, websocket: outcome.websocket.status },
        };
      }
      case 'weekly_cleanup': {
        const outcome = await runWeeklyCleanupJob(deps, { date: request.date, trigger: request.trigger });
        safely(() => deps.metrics.taskFinished('cleanup_old_data', outcome.result, outcome.seconds));
        const status = outcome.result.status === 'completed' ? 'completed' : 'failed';
        safely(() => deps.metrics.jobFinished('weekly_cleanup', status, deps.clock.now()));
        return { status, detail: { job_run_id: outcome.jobRunId, counts: outcome.result.counts, ...(outcome.result.reason ? { reason: outcome.result.reason } : {}) } };
      }
    }
  };

  const run = async (request: JobRequest, hooks: { readonly onLocked?: () => void } = {}): Promise<JobOutcome> => {
    const { job, date, trigger } = request;
    const log = deps.logger.child({ job, date, trigger });
    const lockKey = job === 'new_day' ? deps.keys.maintenanceNewDayLock : deps.keys.maintenanceLock;
    try {
      return await withRunnerLock(
        deps,
        async (lock) => {
          hooks.onLocked?.();
          if (request.once && (await alreadyDone(request))) {
            log.info({ event: 'job_already_done' }, `${job} of ${date} is already done`);
            return { status: 'already_done' } as const;
          }
          const entry: ActiveJob = { job, date, trigger, startedAt: deps.clock.now(), lockKey, lock };
          running.add(entry);
          log.info({ event: 'job_started' }, `${job} of ${date} started`);
          try {
            const outcome = await execute(request, lock);
            const fields = { event: 'job_finished', status: outcome.status, ...('detail' in outcome ? outcome.detail : {}) };
            if (outcome.status === 'completed') log.info(fields, `${job} of ${date} ${outcome.status}`);
            else log.warn(fields, `${job} of ${date} ${outcome.status}`);
            return outcome;
          } finally {
            running.delete(entry);
          }
        },
        { lockKey, leaseMs: deps.leaseMs },
      );
    } catch (error) {
      if (error instanceof LockHeldError) {
        log.info({ event: 'job_lock_held', holder: error.holder }, `${job} of ${date} not run: another runner holds the lock`);
        return { status: 'lock_held', holder: error.holder };
      }
      // A refused day (NOT_CURRENT_DAY, NOT_A_TRADING_DAY), the database gone mid-run: failed, never success.
      const { code, message } = errorInfo(error);
      log.error({ event: 'job_failed', code, reason: message }, `${job} of ${date} failed: ${message}`);
      safely(() => deps.metrics.jobFinished(job, 'failed', deps.clock.now()));
      return { status: 'failed', detail: { error_code: code, error: message } };
    }
  };

  return {
    run,
    active: () => [...running],
    async abandon() {
      const marked: Array<Readonly<Record<string, unknown>>> = [];
      for (const entry of running) {
        const at = deps.clock.now();
        const rows = await interruptUnderLock(deps, entry.lockKey, at);
        await entry.lock.release();
        safely(() => deps.metrics.jobFinished(entry.job, 'interrupted', at));
        marked.push({ job: entry.job, date: entry.date, ...rows });
      }
      return marked;
    },
  };
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Metrics must never turn a job's outcome into something else.
  }
}
