/** The run ledger as a scenario checks it (read by `ledgerRuns` in state-checksums.ts). */

export interface LedgerTaskRun {
  readonly task: string;
  readonly status: string;
  readonly attempt: number;
  readonly error: string | null;
}

export interface LedgerRun {
  readonly runId: number;
  readonly trigger: string;
  readonly status: string;
  readonly tasks: readonly string[];
  readonly error: string | null;
  /** In the order the tasks started. */
  readonly taskRuns: readonly LedgerTaskRun[];
}

/** Each task's latest attempt across the date's runs (the highest run_id), as the app's resume reads it. */
export function latestTaskStatus(runs: readonly LedgerRun[]): Map<string, string> {
  const latest = new Map<string, string>();
  for (const run of runs) for (const t of run.taskRuns) latest.set(t.task, t.status);
  return latest;
}

/** How many attempts of each task completed, across every run of the date. */
export function completedAttempts(runs: readonly LedgerRun[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const run of runs) for (const t of run.taskRuns) if (t.status === 'completed') counts.set(t.task, (counts.get(t.task) ?? 0) + 1);
  return counts;
}
