import { type IsoDate, type TradingCalendar, newYorkDateOf } from '@scanner/market-calendar';
import type { RedisKeys } from '@scanner/redis-keys';
import type { Redis } from 'ioredis';
import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import type { FireTime } from '../core/job-schedule.js';
import { latestEntries } from '../cycle/ledger-entries.js';
import { allTasksCompleted } from '../cycle/status-record.js';
import { jobRunsBetween } from '../db/job-runs.js';
import type { Db } from '../db/pool.js';
import { redisLockHolders } from '../metrics/lock-holders.js';
import type { LockHolders } from '../metrics/maintenance-metrics.js';
import { type RunWithTasks, runsBetween } from '../db/run-ledger.js';
import type { CatchUpReport } from './catch-up.js';
import type { ActiveJob } from './job-runner.js';
import type { HealthCheckReport } from './redis-health-check.js';

export interface StatusSources {
  readonly pool: Db;
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly calendar: TradingCalendar;
  readonly now: Date;
  /** Sessions of cycles shown (the catch-up window). */
  readonly sessions: number;
  readonly instance: string;
  readonly startedAt: Date;
  readonly shuttingDown: boolean;
  readonly running: readonly ActiveJob[];
  readonly nextRuns: readonly FireTime[];
  readonly lastCatchUp: CatchUpReport | null;
  readonly lastHealthCheck: HealthCheckReport | null;
}

/** One session's cycle as the ledger has it: each task's latest attempt across the date's runs. */
export interface CycleSummary {
  readonly date: IsoDate;
  /** not_run, running, completed (every task's latest attempt completed), incomplete, or the latest run's status (failed, interrupted). */
  readonly status: string;
  readonly runs: number;
  readonly latest_run: { readonly run_id: number; readonly trigger: string; readonly status: string; readonly started_at: string; readonly finished_at: string | null; readonly error: string | null } | null;
  readonly tasks: Readonly<Record<string, { readonly status: string; readonly attempt: number | null; readonly started_at: string | null; readonly finished_at: string | null; readonly error: string | null }>>;
}

export interface ServiceStatus {
  readonly now: string;
  readonly instance: string;
  readonly started_at: string;
  readonly shutting_down: boolean;
  /** The current New York trading date (today, or the last session on a closed day). */
  readonly today: CycleSummary;
  /** The last `sessions` sessions up to today, newest first. */
  readonly cycles: readonly CycleSummary[];
  /** new_day and weekly_cleanup ledger rows over the same window, newest first. */
  readonly jobs: ReadonlyArray<Record<string, unknown>>;
  readonly running: ReadonlyArray<Record<string, unknown>>;
  readonly next_runs: ReadonlyArray<{ readonly job: string; readonly date: IsoDate; readonly at: string }>;
  readonly locks: LockHolders;
  readonly last_catch_up: CatchUpReport | null;
  readonly last_health_check: HealthCheckReport | null;
}

/** The `/status` document, from the ledgers, Redis and the service's own state. JSON-serializable. */
export async function serviceStatus(s: StatusSources): Promise<ServiceStatus> {
  const today = s.calendar.tradingDayOnOrBefore(newYorkDateOf(s.now));
  const dates = s.calendar.lastSessions(s.sessions, today);
  const from = dates[0] ?? today;
  const [runs, jobs, locks] = await Promise.all([runsBetween(s.pool, from, today), jobRunsBetween(s.pool, from, newYorkDateOf(s.now)), redisLockHolders(s.redis, s.keys)()]);
  const byDate = new Map<IsoDate, RunWithTasks[]>();
  for (const run of runs) byDate.set(run.date, [...(byDate.get(run.date) ?? []), run]);
  const cycles = [...dates].reverse().map((date) => cycleSummary(date, byDate.get(date) ?? []));
  return {
    now: s.now.toISOString(),
    instance: s.instance,
    started_at: s.startedAt.toISOString(),
    shutting_down: s.shuttingDown,
    today: cycles.find((c) => c.date === today) ?? cycleSummary(today, []),
    cycles,
    jobs: [...jobs].reverse().map((j) => ({
      id: j.id,
      job: j.job,
      date: j.date,
      trigger: j.trigger,
      status: j.status,
      started_at: j.startedAt.toISOString(),
      finished_at: j.finishedAt?.toISOString() ?? null,
      error: j.error,
    })),
    running: s.running.map((r) => ({ job: r.job, date: r.date, trigger: r.trigger, started_at: r.startedAt.toISOString() })),
    next_runs: s.nextRuns.map((f) => ({ job: f.job, date: f.date, at: f.at.toISOString() })),
    locks,
    last_catch_up: s.lastCatchUp,
    last_health_check: s.lastHealthCheck,
  };
}

function cycleSummary(date: IsoDate, runs: readonly RunWithTasks[]): CycleSummary {
  const latest = runs.at(-1) ?? null;
  const entries = latestEntries(runs);
  const status =
    latest === null ? 'not_run'
    : latest.status === 'running' ? 'running'
    : allTasksCompleted(entries) ? 'completed'
    // A later run of some tasks completed, but not every task of the cycle has.
    : latest.status === 'completed' ? 'incomplete'
    : latest.status;
  return {
    date,
    status,
    runs: runs.length,
    latest_run:
      latest === null
        ? null
        : {
            run_id: latest.runId,
            trigger: latest.trigger,
            status: latest.status,
            started_at: latest.startedAt.toISOString(),
            finished_at: latest.finishedAt?.toISOString() ?? null,
            error: latest.error,
          },
    tasks: Object.fromEntries(
      MAINTENANCE_TASKS.flatMap((task) => {
        const e = entries.get(task);
        return e === undefined ? [] : [[task, e] as const];
      }).map(([task, e]) => [
        task,
        {
          status: e.status,
          attempt: e.attempt ?? null,
          started_at: e.startedAt?.toISOString() ?? null,
          finished_at: e.finishedAt?.toISOString() ?? null,
          error: e.error ?? null,
        },
      ]),
    ),
  };
}
