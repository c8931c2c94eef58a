import type { IsoDate } from '@scanner/market-calendar';
import {
  MAINTENANCE_TASKS,
  type MaintenanceStatusRecord,
  type MaintenanceTaskName,
  type MaintenanceTaskResult,
} from '@scanner/shared-types';

/** One task's entry in `maintenance:status:<date>`: its status, result and timings. */
export interface TaskEntry {
  readonly status: MaintenanceTaskResult['status'];
  readonly attempt?: number;
  readonly startedAt?: Date;
  readonly finishedAt?: Date | null;
  /** The task's result object (counts, failures, reason, ...), spread into the entry. */
  readonly result?: unknown;
  readonly error?: string | null;
}

export interface StatusInput {
  readonly date: IsoDate;
  readonly startedAt: Date;
  /** null while the cycle runs. */
  readonly finishedAt: Date | null;
  readonly tasks: ReadonlyMap<MaintenanceTaskName, TaskEntry>;
  /** The run lost its lease: never a success, even if every task had completed (another runner may have written). */
  readonly stopped?: boolean;
}

/** Every task of the cycle completed (its latest attempt, in this run or an earlier one of the date). */
export function allTasksCompleted(tasks: ReadonlyMap<MaintenanceTaskName, TaskEntry>): boolean {
  return MAINTENANCE_TASKS.every((t) => tasks.get(t)?.status === 'completed');
}

/** The seed's status record, with the tasks in cycle order; tasks not reached yet are absent. */
export function buildStatusRecord(input: StatusInput): MaintenanceStatusRecord {
  const tasks: Partial<Record<MaintenanceTaskName, MaintenanceTaskResult>> = {};
  for (const name of MAINTENANCE_TASKS) {
    const entry = input.tasks.get(name);
    if (entry === undefined) continue;
    const result = typeof entry.result === 'object' && entry.result !== null ? (entry.result as Record<string, unknown>) : {};
    tasks[name] = {
      ...result,
      status: entry.status,
      ...(entry.attempt === undefined ? {} : { attempt: entry.attempt }),
      ...(entry.startedAt === undefined ? {} : { started_at: entry.startedAt.toISOString() }),
      ...(entry.finishedAt === undefined || entry.finishedAt === null ? {} : { finished_at: entry.finishedAt.toISOString() }),
      ...(entry.error === undefined || entry.error === null ? {} : { error: entry.error }),
    };
  }
  const finished = input.finishedAt;
  return {
    date: input.date,
    started_at: input.startedAt.toISOString(),
    completed_at: finished === null ? null : finished.toISOString(),
    duration_seconds: finished === null ? null : Math.max(0, (finished.getTime() - input.startedAt.getTime()) / 1000),
    all_success: finished !== null && input.stopped !== true && allTasksCompleted(input.tasks),
    tasks,
  };
}
