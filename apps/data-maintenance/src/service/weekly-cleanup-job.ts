import type { IsoDate } from '@scanner/market-calendar';
import { finishJobRun, startJobRun } from '../db/job-runs.js';
import { type CleanupOldDataDeps, cleanupOldData } from '../tasks/cleanup-old-data.js';
import type { TaskContext } from '../tasks/task-context.js';
import { type TaskResult, errorInfo, failed } from '../tasks/task-result.js';

export type WeeklyCleanupDeps = CleanupOldDataDeps & Pick<TaskContext, 'clock' | 'logger'>;

export interface WeeklyCleanupOutcome {
  readonly date: IsoDate;
  readonly jobRunId: number;
  readonly result: TaskResult;
  /** Wall seconds the cleanup took (metrics). */
  readonly seconds: number;
}

/**
 * The weekly cleanup (`cleanup_old_data`) as of `date`, recorded in the job ledger
 * (`maintenance_job_runs`, job `weekly_cleanup`) the same way whoever runs it: the service's schedule
 * and catch-up, or the CLI. The caller holds the data lock. An exception is recorded as a failure, never
 * as success, and returned as a failed result.
 */
export async function runWeeklyCleanupJob(deps: WeeklyCleanupDeps, request: { readonly date: IsoDate; readonly trigger: string }): Promise<WeeklyCleanupOutcome> {
  const { date, trigger } = request;
  const row = await startJobRun(deps.pool, { job: 'weekly_cleanup', date, trigger, startedAt: deps.clock.now() });
  const log = deps.logger.child({ job: 'weekly_cleanup', date, job_run_id: row.id });
  log.info({ event: 'task_started', task: 'cleanup_old_data', trigger }, 'weekly cleanup started');
  const began = performance.now();
  let result: TaskResult;
  try {
    result = await cleanupOldData(deps, date);
  } catch (error) {
    const { code, message } = errorInfo(error);
    result = failed(`${code}: ${message}`, { details: { error_code: code } });
  }
  const seconds = (performance.now() - began) / 1000;
  await finishJobRun(deps.pool, row.id, {
    status: result.status === 'completed' ? 'completed' : 'failed',
    finishedAt: deps.clock.now(),
    result,
    error: result.reason ?? null,
  });
  const fields = { event: result.status === 'completed' ? 'task_completed' : 'task_failed', task: 'cleanup_old_data', counts: result.counts, reason: result.reason };
  if (result.status === 'completed') log.info(fields, 'weekly cleanup completed');
  else log.error(fields, `weekly cleanup failed: ${result.reason ?? ''}`);
  return { date, jobRunId: row.id, result, seconds };
}
