import { MAINTENANCE_TASKS, type MaintenanceTaskName } from '@scanner/shared-types';
import type { RunWithTasks } from '../db/run-ledger.js';
import type { TaskResult } from '../tasks/task-result.js';
import type { TaskEntry } from './status-record.js';

/** Each task's latest attempt for the date, across the runs given: the one of the highest run_id (run-ledger.ts says why). */
export function latestEntries(runs: readonly RunWithTasks[]): Map<MaintenanceTaskName, TaskEntry> {
  const latest = new Map<MaintenanceTaskName, TaskEntry>();
  const rows = runs.flatMap((r) => r.taskRuns).sort((a, b) => a.runId - b.runId);
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

/** One line naming every task of the run that did not complete, and why: the run's ledger error. */
export function failureSummary(results: ReadonlyMap<MaintenanceTaskName, TaskResult>): string {
  return [...results]
    .filter(([, r]) => r.status !== 'completed')
    .map(([t, r]) => `${t} ${r.status}: ${r.reason ?? ''}`)
    .join('; ');
}

/**
 * The run did every task it was asked for but was never recorded finished: its process died, or lost the
 * database, between its last task and its final flags. What is left of it is that last step (the same rule
 * as `datesFullyCompleted` in SQL).
 */
export function finishPending(run: RunWithTasks | undefined): run is RunWithTasks {
  if (run === undefined || run.status === 'completed') return false;
  return run.tasks.every((task) => run.taskRuns.some((r) => r.task === task && r.status === 'completed'));
}
