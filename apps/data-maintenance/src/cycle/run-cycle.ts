import { randomBytes } from 'node:crypto';
import type { IsoDate } from '@scanner/market-calendar';
import type { MaintenanceTaskName, MaintenanceTaskStatus } from '@scanner/shared-types';
import { type RunRecord, abortRun, createRun, finishRun, finishTask, runsBetween, startTask } from '../db/run-ledger.js';
import { type MaintenanceKeys, maintenanceKeys } from '../redis/maintenance-keys.js';
import { CYCLE_TASKS } from '../tasks/index.js';
import type { Task, TaskContext } from '../tasks/task-context.js';
import { type TaskResult, errorInfo, failed, skipped } from '../tasks/task-result.js';
import { type CyclePlan, planCycle, skipReason } from './cycle-plan.js';
import { failureSummary, finishPending, latestEntries } from './ledger-entries.js';
import { type RunLease, type RunStop, leaseStop } from './run-lease.js';
import { type TaskEntry, allTasksCompleted, buildStatusRecord } from './status-record.js';

export type CycleDeps = Omit<TaskContext, 'runToken'> & {
  /** The task implementations; the real ones unless a caller supplies others. */
  readonly tasks?: Readonly<Record<MaintenanceTaskName, Task<TaskContext>>>;
};

export interface CycleOptions {
  readonly date: IsoDate;
  /** null: the whole cycle, resuming an incomplete earlier run of the date. */
  readonly tasks: readonly MaintenanceTaskName[] | null;
  /** Recorded in the ledger: cli, backfill, schedule, catch_up, ... */
  readonly trigger: string;
  /** The single-runner lease, confirmed before each task; absent only where no other runner can exist. */
  readonly lease?: RunLease;
  /**
   * Aborted when the service shuts down: the task under way finishes, the rest are not started (recorded
   * as skipped with SHUTTING_DOWN) and the run is recorded `interrupted`, so the next run resumes there.
   */
  readonly stop?: AbortSignal;
  /** Told each task's end (metrics); a listener that throws is logged and otherwise ignored. */
  readonly onTaskFinished?: (task: MaintenanceTaskName, result: TaskResult, seconds: number) => void;
}

export interface CycleOutcome {
  readonly date: IsoDate;
  readonly runId: number;
  /** Every task of this run completed. */
  readonly succeeded: boolean;
  /** Every task of the cycle has completed for the date (this run and earlier ones): maintenance:executed. */
  readonly allSuccess: boolean;
  readonly resumedFrom: MaintenanceTaskName | null;
  readonly results: ReadonlyMap<MaintenanceTaskName, TaskResult>;
  /**
   * Set when the lease was lost (LOCK_LOST, the run `failed`) or the service stopped it (SHUTTING_DOWN,
   * the run `interrupted`): the tasks from `beforeTask` on did not run (null: all had run).
   */
  readonly stopped: (RunStop & { readonly beforeTask: MaintenanceTaskName | null }) | null;
}

/** The code of a run stopped by `CycleOptions.stop`. */
export const SHUTTING_DOWN = 'SHUTTING_DOWN';

export class CycleError extends Error {
  override readonly name = 'CycleError';
  constructor(
    readonly code: 'NOT_A_TRADING_DAY',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs one session's cycle: the tasks in order, each recorded in the ledger and in
 * `maintenance:status:<date>` as it starts and ends; a task whose input failed or was skipped is
 * skipped with that reason. `maintenance:executed:<date>` is set only when every task of the cycle has
 * completed for the date (and removed otherwise); `maintenance:last_run` then moves to the date unless it
 * already holds a later one.
 *
 * Two runners must never write at once: the lease is confirmed before each task and before the final
 * flags. Once it is lost the task under way has finished (tasks are not interrupted mid-write), the rest
 * are recorded as skipped with the lease's code (LOCK_LOST), the run is recorded as failed, and neither
 * maintenance:executed nor maintenance:last_run is touched: whoever holds the lease now owns them.
 * A shutdown (`options.stop`) ends the run the same way at the next task boundary, recorded `interrupted`.
 */
export async function runCycle(deps: CycleDeps, options: CycleOptions): Promise<CycleOutcome> {
  const { date } = options;
  const day = deps.calendar.describe(date);
  if (!day.isTradingDay) {
    throw new CycleError('NOT_A_TRADING_DAY', `${date} is not a trading day (${day.closure?.reason ?? 'closed'}): no run`);
  }
  const implementations = deps.tasks ?? CYCLE_TASKS;
  const status = maintenanceKeys(deps.redis, deps.keys);
  const runs = await runsBetween(deps.pool, date, date);
  const earlier = latestEntries(runs);
  const earlierStatus = new Map([...earlier].map(([t, e]) => [t, e.status]));
  const lastRun = runs.at(-1);
  const pending = finishPending(lastRun) ? lastRun : undefined;
  const plan = planCycle(options.tasks, earlierStatus, pending !== undefined);

  const startedAt = deps.clock.now();
  // Only the final step is left (the flags, the run recorded completed): it is that run's, which did the work.
  const run =
    plan.tasks.length === 0 && pending !== undefined
      ? pending
      : await createRun(deps.pool, { date, trigger: options.trigger, tasks: [...plan.tasks], startedAt });
  try {
    return await executeRun(deps, options, { run, plan, earlier, earlierStatus, startedAt, status, implementations });
  } catch (error) {
    // Redis failing under a status write (or anything else) ends the run here: the ledger must not show
    // it running on, and the next run must resume at once, not after a lock holder finds it.
    const { code, message } = errorInfo(error);
    await abortRun(deps.pool, run.runId, deps.clock.now(), `${code}: ${message}`).catch((ledgerError: unknown) =>
      deps.logger.error({ event: 'run_abort_not_recorded', date, run_id: run.runId, err: ledgerError }, 'the ledger could not record the run as failed'),
    );
    throw error;
  }
}

interface PreparedRun {
  readonly run: RunRecord;
  readonly plan: CyclePlan;
  readonly earlier: ReadonlyMap<MaintenanceTaskName, TaskEntry>;
  readonly earlierStatus: ReadonlyMap<MaintenanceTaskName, MaintenanceTaskStatus>;
  readonly startedAt: Date;
  readonly status: MaintenanceKeys;
  readonly implementations: Readonly<Record<MaintenanceTaskName, Task<TaskContext>>>;
}

/** The run once it is in the ledger; runCycle records it failed if this throws. */
async function executeRun(deps: CycleDeps, options: CycleOptions, prepared: PreparedRun): Promise<CycleOutcome> {
  const { run, plan, earlier, earlierStatus, startedAt, status, implementations } = prepared;
  const { date } = options;
  const context: TaskContext = { ...deps, runToken: `run${run.runId}-${randomBytes(6).toString('hex')}` };
  const log = deps.logger.child({ date, run_id: run.runId });
  log.info({ event: 'maintenance_cycle_started', tasks: plan.tasks, resumed_from: plan.resumedFrom, trigger: options.trigger }, 'cycle started');

  // The record shows every task's latest state for the date: earlier runs' first, this run's over them.
  const entries = new Map<MaintenanceTaskName, TaskEntry>(earlier);
  for (const task of plan.tasks) entries.delete(task);
  const publish = (finishedAt: Date | null, leaseLost = false) =>
    status.writeStatus(buildStatusRecord({ date, startedAt, finishedAt, tasks: entries, stopped: leaseLost }));
  await publish(null);

  const thisRun = new Map<MaintenanceTaskName, MaintenanceTaskStatus>();
  const results = new Map<MaintenanceTaskName, TaskResult>();
  const recordSkipped = async (task: MaintenanceTaskName, result: TaskResult) => {
    const row = await finishTask(deps.pool, run.runId, task, { status: 'skipped', finishedAt: deps.clock.now(), result, error: result.reason ?? null });
    entries.set(task, { status: 'skipped', attempt: row.attempt, startedAt: row.startedAt, finishedAt: row.finishedAt, result });
  };
  // Tasks a lost lease or a shutdown kept from running are in the ledger and the record as skipped, with its code.
  const recordNotRun = async (tasks: readonly MaintenanceTaskName[], stop: RunStop) => {
    const result = skipped(`${stop.code}: ${stop.message}`, { details: { error_code: stop.code } });
    for (const task of tasks) {
      await recordSkipped(task, result);
      thisRun.set(task, 'skipped');
      results.set(task, result);
    }
  };
  let stopped: CycleOutcome['stopped'] = null;
  for (const [index, task] of plan.tasks.entries()) {
    const stop = shutdownStop(options.stop) ?? (await leaseStop(options.lease));
    if (stop !== null) {
      stopped = { ...stop, beforeTask: task };
      await recordNotRun(plan.tasks.slice(index), stop);
      break;
    }
    const reason = skipReason(task, thisRun, earlierStatus);
    let result: TaskResult;
    if (reason !== null) {
      result = skipped(reason);
      await recordSkipped(task, result);
      log.warn({ event: 'task_skipped', task, reason }, `${task} skipped: ${reason}`);
    } else {
      const started = await startTask(deps.pool, run.runId, task, deps.clock.now());
      entries.set(task, { status: 'running', attempt: started.attempt, startedAt: started.startedAt });
      await publish(null);
      log.info({ event: 'task_started', task, attempt: started.attempt }, `${task} started`);
      const began = performance.now();
      result = await runTask(implementations[task], context, date);
      reportTaskFinished(options, log, task, result, (performance.now() - began) / 1000);
      const finishedAt = deps.clock.now();
      await finishTask(deps.pool, run.runId, task, { status: result.status, finishedAt, result, error: result.reason ?? null });
      entries.set(task, { status: result.status, attempt: started.attempt, startedAt: started.startedAt, finishedAt, result });
      const event = result.status === 'completed' ? 'task_completed' : 'task_failed';
      const fields = { event, task, status: result.status, counts: result.counts, reason: result.reason };
      if (result.status === 'completed') log.info(fields, `${task} completed`);
      else log.error(fields, `${task} ${result.status}: ${result.reason ?? ''}`);
    }
    thisRun.set(task, result.status);
    results.set(task, result);
    await publish(null);
  }

  if (stopped === null) {
    const stop = await leaseStop(options.lease);
    if (stop !== null) stopped = { ...stop, beforeTask: null };
  }
  const finishedAt = deps.clock.now();
  const succeeded = stopped === null && plan.tasks.every((t) => thisRun.get(t) === 'completed');
  const allSuccess = stopped === null && allTasksCompleted(entries);
  // The flags before the ledger: a run recorded finished has written them. One that dies in between is
  // left with every task done and no finish, which the next run completes (`finishPending`).
  await publish(finishedAt, stopped !== null);
  let lastRunMoved = false;
  if (stopped === null) {
    await status.setExecuted(date, allSuccess);
    lastRunMoved = allSuccess ? await status.advanceLastRun(date) : false;
  } else {
    const fields = { event: 'maintenance_cycle_stopped', code: stopped.code, reason: stopped.message, before_task: stopped.beforeTask };
    const text = `cycle stopped before ${stopped.beforeTask ?? 'its final flags'}: ${stopped.message}`;
    if (stopped.code === SHUTTING_DOWN) log.warn(fields, text);
    else log.error(fields, text);
  }
  await finishRun(deps.pool, run.runId, {
    status: stopped?.code === SHUTTING_DOWN ? 'interrupted' : succeeded ? 'completed' : 'failed',
    finishedAt,
    error: stopped !== null ? `${stopped.code}: ${stopped.message}` : succeeded ? null : failureSummary(results),
  });
  log.info(
    {
      event: 'maintenance_cycle_finished',
      succeeded,
      all_success: allSuccess,
      last_run_moved: lastRunMoved,
      duration_seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      tasks: Object.fromEntries([...results].map(([t, r]) => [t, r.status])),
    },
    `cycle ${succeeded ? 'succeeded' : 'failed'}`,
  );
  return { date, runId: run.runId, succeeded, allSuccess, resumedFrom: plan.resumedFrom, results, stopped };
}

/** Only before a task: once every task has run there is nothing left to hold back. */
function shutdownStop(signal: AbortSignal | undefined): RunStop | null {
  if (signal?.aborted !== true) return null;
  return { code: SHUTTING_DOWN, message: 'the service is shutting down; the next run resumes here' };
}

function reportTaskFinished(options: CycleOptions, log: CycleDeps['logger'], task: MaintenanceTaskName, result: TaskResult, seconds: number): void {
  try {
    options.onTaskFinished?.(task, result, seconds);
  } catch (error) {
    log.warn({ event: 'task_listener_failed', task, err: error }, 'a task-finished listener threw');
  }
}

/** A task that throws has failed; the exception never escapes as anything else (and never as success). */
async function runTask(task: Task<TaskContext>, context: TaskContext, date: IsoDate): Promise<TaskResult> {
  try {
    return await task(context, date);
  } catch (error) {
    const { code, message } = errorInfo(error);
    return failed(`${code}: ${message}`, { details: { error_code: code } });
  }
}
