import { randomBytes } from 'node:crypto';
import type { IsoDate } from '@scanner/market-calendar';
import { MAINTENANCE_TASKS, type MaintenanceTaskName, type MaintenanceTaskStatus } from '@scanner/shared-types';
import { type RunWithTasks, createRun, finishRun, finishTask, runsBetween, startTask } from '../db/run-ledger.js';
import { maintenanceKeys } from '../redis/maintenance-keys.js';
import { CYCLE_TASKS } from '../tasks/index.js';
import type { Task, TaskContext } from '../tasks/task-context.js';
import { type TaskResult, errorInfo, failed, skipped } from '../tasks/task-result.js';
import { planCycle, skipReason } from './cycle-plan.js';
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
}

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
 * already holds a later one. Assumes it is the only runner (the caller holds the runner lock).
 */
export async function runCycle(deps: CycleDeps, options: CycleOptions): Promise<CycleOutcome> {
  const { date } = options;
  const day = deps.calendar.describe(date);
  if (!day.isTradingDay) {
    throw new CycleError('NOT_A_TRADING_DAY', `${date} is not a trading day (${day.closure?.reason ?? 'closed'}): no run`);
  }
  const implementations = deps.tasks ?? CYCLE_TASKS;
  const status = maintenanceKeys(deps.redis, deps.keys);
  const earlier = latestEntries(await runsBetween(deps.pool, date, date));
  const earlierStatus = new Map([...earlier].map(([t, e]) => [t, e.status]));
  const plan = planCycle(options.tasks, earlierStatus);

  const startedAt = deps.clock.now();
  const run = await createRun(deps.pool, { date, trigger: options.trigger, tasks: [...plan.tasks], startedAt });
  const context: TaskContext = { ...deps, runToken: `run${run.runId}-${randomBytes(6).toString('hex')}` };
  const log = deps.logger.child({ date, run_id: run.runId });
  log.info({ event: 'maintenance_cycle_started', tasks: plan.tasks, resumed_from: plan.resumedFrom, trigger: options.trigger }, 'cycle started');

  // The record shows every task's latest state for the date: earlier runs' first, this run's over them.
  const entries = new Map<MaintenanceTaskName, TaskEntry>(earlier);
  for (const task of plan.tasks) entries.delete(task);
  const publish = (finishedAt: Date | null) => status.writeStatus(buildStatusRecord({ date, startedAt, finishedAt, tasks: entries }));
  await publish(null);

  const thisRun = new Map<MaintenanceTaskName, MaintenanceTaskStatus>();
  const results = new Map<MaintenanceTaskName, TaskResult>();
  for (const task of plan.tasks) {
    const reason = skipReason(task, thisRun, earlierStatus);
    let result: TaskResult;
    if (reason !== null) {
      result = skipped(reason);
      const row = await finishTask(deps.pool, run.runId, task, { status: 'skipped', finishedAt: deps.clock.now(), result, error: reason });
      entries.set(task, { status: 'skipped', attempt: row.attempt, startedAt: row.startedAt, finishedAt: row.finishedAt, result });
      log.warn({ event: 'task_skipped', task, reason }, `${task} skipped: ${reason}`);
    } else {
      const started = await startTask(deps.pool, run.runId, task, deps.clock.now());
      entries.set(task, { status: 'running', attempt: started.attempt, startedAt: started.startedAt });
      await publish(null);
      log.info({ event: 'task_started', task, attempt: started.attempt }, `${task} started`);
      result = await runTask(implementations[task], context, date);
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

  const finishedAt = deps.clock.now();
  const succeeded = plan.tasks.every((t) => thisRun.get(t) === 'completed');
  const allSuccess = allTasksCompleted(entries);
  await finishRun(deps.pool, run.runId, {
    status: succeeded ? 'completed' : 'failed',
    finishedAt,
    error: succeeded ? null : failureSummary(results),
  });
  await publish(finishedAt);
  await status.setExecuted(date, allSuccess);
  const lastRunMoved = allSuccess ? await status.advanceLastRun(date) : false;
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
  return { date, runId: run.runId, succeeded, allSuccess, resumedFrom: plan.resumedFrom, results };
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

/** Each task's latest attempt for the date, across the runs given (oldest first). */
export function latestEntries(runs: readonly RunWithTasks[]): Map<MaintenanceTaskName, TaskEntry> {
  const latest = new Map<MaintenanceTaskName, TaskEntry>();
  const rows = runs.flatMap((r) => r.taskRuns).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.runId - b.runId);
  for (const row of rows) {
    if (!(MAINTENANCE_TASKS as readonly string[]).includes(row.task)) continue;
    latest.set(row.task as MaintenanceTaskName, {
      status: row.status,
      attempt: row.attempt,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      result: row.result,
      error: row.error,
    });
  }
  return latest;
}

function failureSummary(results: ReadonlyMap<MaintenanceTaskName, TaskResult>): string {
  return [...results]
    .filter(([, r]) => r.status !== 'completed')
    .map(([t, r]) => `${t} ${r.status}: ${r.reason ?? ''}`)
    .join('; ');
}
