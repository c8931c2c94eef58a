import { MAINTENANCE_TASKS, type MaintenanceTaskName, type MaintenanceTaskStatus } from '@scanner/shared-types';
import { TASK_INPUTS } from './task-inputs.js';

export interface CyclePlan {
  /** In cycle order. */
  readonly tasks: readonly MaintenanceTaskName[];
  /** The task a resumed run starts at; null for a fresh or explicitly chosen run. */
  readonly resumedFrom: MaintenanceTaskName | null;
}

/**
 * What a run of a date does. Asked for tasks: those. Otherwise the whole cycle, unless an earlier run
 * left it incomplete: then it resumes at the first task whose latest attempt did not complete and runs
 * everything from there (later tasks read what that one writes, so they are redone too). When every task
 * completed but the run that did the last of them was never recorded finished (`finishPending`), only
 * that final step is left: no task at all.
 */
export function planCycle(
  requested: readonly MaintenanceTaskName[] | null,
  latest: ReadonlyMap<string, MaintenanceTaskStatus>,
  finishPending = false,
): CyclePlan {
  if (requested !== null) return { tasks: MAINTENANCE_TASKS.filter((t) => requested.includes(t)), resumedFrom: null };
  if (latest.size === 0) return { tasks: [...MAINTENANCE_TASKS], resumedFrom: null };
  const first = MAINTENANCE_TASKS.findIndex((t) => latest.get(t) !== 'completed');
  if (first === -1) return { tasks: finishPending ? [] : [...MAINTENANCE_TASKS], resumedFrom: null };
  const tasks = MAINTENANCE_TASKS.slice(first);
  return { tasks, resumedFrom: tasks[0] ?? null };
}

/**
 * Why `task` must be skipped, or null when it may run: an input that failed, was skipped or was
 * interrupted, in this run or (if this run did not include it) in its latest attempt for the date.
 * An input that never ran for the date does not block a task an operator asked for explicitly.
 */
export function skipReason(
  task: MaintenanceTaskName,
  thisRun: ReadonlyMap<string, MaintenanceTaskStatus>,
  earlier: ReadonlyMap<string, MaintenanceTaskStatus>,
): string | null {
  for (const input of TASK_INPUTS[task]) {
    const status = thisRun.get(input) ?? earlier.get(input);
    if (status === 'failed' || status === 'skipped' || status === 'interrupted') {
      return `input task ${input} ${status}`;
    }
  }
  return null;
}
