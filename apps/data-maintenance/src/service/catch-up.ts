import type { IsoDate, TradingCalendar } from '@scanner/market-calendar';
import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import type { Logger } from 'pino';
import { type ExpectedRun, expectedRuns, missingRuns, runKey } from '../core/expected-runs.js';
import type { JobName } from '../core/job-names.js';
import type { JobSchedule } from '../core/job-schedule.js';
import { completedJobDates } from '../db/job-runs.js';
import type { Db } from '../db/pool.js';
import { datesFullyCompleted } from '../db/run-ledger.js';
import type { JobOutcome } from './job-runner.js';

export interface CatchUpDeps {
  readonly pool: Db;
  readonly calendar: TradingCalendar;
  readonly logger: Logger;
  readonly schedules: readonly JobSchedule[];
  /** Sessions back compared with the ledger. */
  readonly sessions: number;
}

export interface CatchUpRun {
  readonly job: JobName;
  readonly date: IsoDate;
  readonly status: JobOutcome['status'];
}

/** What one pass found and did: for /status and the logs. */
export interface CatchUpReport {
  readonly at: string;
  readonly expected: number;
  /** `job:date` of each missing run, oldest first. */
  readonly missing: readonly string[];
  readonly ran: readonly CatchUpRun[];
  /** The run that ended its lane early (lock held elsewhere, shutdown); later ones wait for the next pass. */
  readonly stoppedAt: CatchUpRun | null;
}

/** The runs the schedules expected by `now` and the ledgers do not hold as done, oldest first. */
export async function findMissingRuns(deps: CatchUpDeps, now: Date): Promise<{ expected: ExpectedRun[]; missing: ExpectedRun[] }> {
  const expected = expectedRuns(deps.schedules, deps.calendar, now, deps.sessions);
  const datesOf = (job: JobName) => expected.filter((r) => r.job === job).map((r) => r.date);
  const [daily, newDay, weekly] = await Promise.all([
    datesFullyCompleted(deps.pool, datesOf('daily_maintenance'), MAINTENANCE_TASKS),
    completedJobDates(deps.pool, 'new_day', datesOf('new_day')),
    completedJobDates(deps.pool, 'weekly_cleanup', datesOf('weekly_cleanup')),
  ]);
  const done = new Set<string>([
    ...[...daily].map((d) => runKey('daily_maintenance', d)),
    ...[...newDay].map((d) => runKey('new_day', d)),
    ...[...weekly].map((d) => runKey('weekly_cleanup', d)),
  ]);
  return { expected, missing: missingRuns(expected, done) };
}

/** A lane waits for the next pass after these: another instance is on it, or this one is stopping. */
const STOPS_LANE: ReadonlySet<JobOutcome['status']> = new Set(['lock_held', 'interrupted']);

/**
 * One catch-up pass: the missing runs, oldest first, each through `run` (the job runner: lock, ledger
 * re-check, run). Two lanes, as the two locks: the data jobs in order, and the announcement on its own so
 * that it never waits behind a backlog of cycles. A data lane stops at a lock held elsewhere (another
 * instance is working through the same list) or at a shutdown; the next pass takes it from there. A
 * failed session does not stop it: the newer sessions still run, so the caches the scanner reads stay
 * current, and the next pass retries the failed one from its failed task (which cannot roll the caches
 * back: an older session's run writes only the database).
 */
export async function runCatchUpPass(deps: CatchUpDeps, now: Date, run: (missing: ExpectedRun) => Promise<JobOutcome>): Promise<CatchUpReport> {
  const { expected, missing } = await findMissingRuns(deps, now);
  const missingKeys = missing.map((r) => runKey(r.job, r.date));
  if (missing.length > 0) deps.logger.info({ event: 'catch_up_started', missing: missingKeys }, `catch-up: ${missing.length} run(s) missing`);
  const ran: CatchUpRun[] = [];
  let stoppedAt: CatchUpRun | null = null;
  const lane = async (runs: readonly ExpectedRun[]) => {
    for (const item of runs) {
      const outcome = await run(item);
      const entry = { job: item.job, date: item.date, status: outcome.status };
      ran.push(entry);
      if (STOPS_LANE.has(outcome.status)) {
        stoppedAt ??= entry;
        deps.logger.info({ event: 'catch_up_lane_stopped', job: item.job, date: item.date, status: outcome.status }, 'catch-up: the rest waits for the next pass');
        return;
      }
    }
  };
  await Promise.all([lane(missing.filter((r) => r.job !== 'new_day')), lane(missing.filter((r) => r.job === 'new_day'))]);
  const report: CatchUpReport = { at: now.toISOString(), expected: expected.length, missing: missingKeys, ran, stoppedAt };
  if (missing.length > 0) deps.logger.info({ event: 'catch_up_finished', ran, stopped_at: stoppedAt }, 'catch-up pass finished');
  return report;
}
