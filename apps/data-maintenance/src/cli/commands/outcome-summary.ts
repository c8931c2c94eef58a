import type { CycleOutcome } from '../../cycle/run-cycle.js';

/** The JSON line a run or a backfill date prints: enough to see what happened without the logs. */
export function outcomeSummary(outcome: CycleOutcome): Record<string, unknown> {
  return {
    date: outcome.date,
    status: outcome.stopped ? 'stopped' : outcome.succeeded ? 'completed' : 'failed',
    ...(outcome.stopped ? { error_code: outcome.stopped.code, error: outcome.stopped.message, stopped_before: outcome.stopped.beforeTask } : {}),
    run_id: outcome.runId,
    all_success: outcome.allSuccess,
    resumed_from: outcome.resumedFrom,
    tasks: Object.fromEntries(
      [...outcome.results].map(([task, r]) => [
        task,
        { status: r.status, ...(r.reason === undefined ? {} : { reason: r.reason }), counts: r.counts, ...(r.failures.length > 0 ? { failures: r.failures.slice(0, 10) } : {}) },
      ]),
    ),
  };
}
