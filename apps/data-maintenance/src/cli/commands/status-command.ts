import type { IsoDate } from '@scanner/market-calendar';
import { latestRunForDate } from '../../db/run-ledger.js';
import { maintenanceKeys } from '../../redis/maintenance-keys.js';
import type { CycleDeps } from '../../cycle/run-cycle.js';
import type { CliOutput } from '../cli-output.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { lastClosedSession } from '../parse-cli.js';

/** `status [--date D]`: the ledger's latest run of the date and the Redis status keys, as one JSON object. */
export async function statusCommand(
  deps: Pick<CycleDeps, 'pool' | 'redis' | 'keys' | 'calendar' | 'clock'>,
  command: { readonly date: IsoDate | null },
  out: CliOutput,
): Promise<ExitCode> {
  const keys = maintenanceKeys(deps.redis, deps.keys);
  const lastRun = await keys.readLastRun();
  const date = command.date ?? lastRun ?? lastClosedSession({ calendar: deps.calendar, now: deps.clock.now() });
  const [run, record, executed] = await Promise.all([latestRunForDate(deps.pool, date), keys.readStatus(date), keys.isExecuted(date)]);
  out.json({
    date,
    trading_day: deps.calendar.isTradingDay(date),
    ledger: run && {
      run_id: run.runId,
      trigger: run.trigger,
      status: run.status,
      tasks_requested: run.tasks,
      started_at: run.startedAt.toISOString(),
      finished_at: run.finishedAt?.toISOString() ?? null,
      error: run.error,
      tasks: run.taskRuns.map((t) => ({
        task: t.task,
        status: t.status,
        attempt: t.attempt,
        started_at: t.startedAt.toISOString(),
        finished_at: t.finishedAt?.toISOString() ?? null,
        error: t.error,
        result: t.result,
      })),
    },
    redis: { executed, last_run: lastRun, status: record },
  });
  return EXIT.OK;
}
