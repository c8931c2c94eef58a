import type { IsoDate } from '@scanner/market-calendar';
import { DbError } from './db-error.js';
import type { Db } from './pool.js';
import { checkDate, checkText, checkDates } from './validate.js';

/** The jobs without tasks; the daily cycle has its own ledger (run-ledger.ts). */
export const LEDGER_JOBS = ['new_day', 'weekly_cleanup'] as const;
export type LedgerJob = (typeof LEDGER_JOBS)[number];

/** `interrupted`: its process died while it ran (found by `interruptRunningJobs` once the job's lock is held). */
export type JobRunStatus = 'running' | 'completed' | 'failed' | 'interrupted';
const FINISHED_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'interrupted']);

export interface JobRunRecord {
  readonly id: number;
  readonly job: LedgerJob;
  /** The New York date the run is for: the announced trading day, or the cleanup's Sunday. */
  readonly date: IsoDate;
  /** Who asked: schedule, catch_up, cli, http (free text, stored as given). */
  readonly trigger: string;
  readonly status: JobRunStatus;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  /** The job's outcome as stored (JSON), null until it finished. */
  readonly result: unknown;
  readonly error: string | null;
}

const SELECT_JOB_RUN = `id::float8 AS id, job, date::text AS date, trigger, status, started_at AS "startedAt",
  finished_at AS "finishedAt", result, error`;

export interface StartJobRunInput {
  readonly job: LedgerJob;
  readonly date: IsoDate;
  readonly trigger: string;
  readonly startedAt: Date;
}

export async function startJobRun(db: Db, input: StartJobRunInput): Promise<JobRunRecord> {
  checkJob(input.job);
  checkDate(input.date);
  checkText(input.trigger, 'trigger');
  const res = await db.query<JobRunRecord>(
    `INSERT INTO maintenance_job_runs (job, date, trigger, status, started_at)
     VALUES ($1, $2, $3, 'running', $4) RETURNING ${SELECT_JOB_RUN}`,
    [input.job, input.date, input.trigger, input.startedAt],
  );
  return res.rows[0] as JobRunRecord;
}

export interface FinishJobRunInput {
  readonly status: Exclude<JobRunStatus, 'running'>;
  readonly finishedAt: Date;
  /** Stored as JSON; must be JSON-serializable (undefined is stored as null). */
  readonly result: unknown;
  readonly error: string | null;
}

/**
 * Records a run's end. The row is updated whatever its status: a run whose lock lapsed may have been
 * marked interrupted by the next holder meanwhile, and what it did in the end is still the truth.
 */
export async function finishJobRun(db: Db, id: number, input: FinishJobRunInput): Promise<JobRunRecord> {
  if (!FINISHED_STATUSES.has(input.status)) {
    throw new DbError('INVALID_ARGUMENT', `a job run finishes as completed, failed or interrupted, got ${JSON.stringify(input.status)}`);
  }
  const result = input.result === undefined ? null : JSON.stringify(input.result);
  const res = await db.query<JobRunRecord>(
    `UPDATE maintenance_job_runs SET status = $2, finished_at = $3, result = $4::jsonb, error = $5
     WHERE id = $1 RETURNING ${SELECT_JOB_RUN}`,
    [id, input.status, input.finishedAt, result, input.error],
  );
  if (!res.rows[0]) throw new DbError('NOT_FOUND', `job run ${id} does not exist`);
  return res.rows[0];
}

/**
 * Of `dates`, those for which a run of `job` has completed. Any completed run counts, also when a later
 * re-run failed: the day was announced (or the week cleaned) all the same, and must not be redone.
 */
export async function completedJobDates(db: Db, job: LedgerJob, dates: readonly IsoDate[]): Promise<Set<IsoDate>> {
  checkJob(job);
  const days = checkDates(dates);
  if (days.length === 0) return new Set();
  const res = await db.query<{ date: string }>(
    `SELECT DISTINCT date::text AS date FROM maintenance_job_runs
     WHERE job = $1 AND date = ANY($2::date[]) AND status = 'completed'`,
    [job, days],
  );
  return new Set(res.rows.map((r) => r.date));
}

/** Every run whose date is in [from, to] (of one job, or all), by date and then in the order they started. */
export async function jobRunsBetween(db: Db, from: IsoDate, to: IsoDate, job?: LedgerJob): Promise<JobRunRecord[]> {
  checkDate(from, 'from');
  checkDate(to, 'to');
  if (job !== undefined) checkJob(job);
  const res = await db.query<JobRunRecord>(
    `SELECT ${SELECT_JOB_RUN} FROM maintenance_job_runs
     WHERE date BETWEEN $1 AND $2 AND ($3::text IS NULL OR job = $3)
     ORDER BY date, id`,
    [from, to, job ?? null],
  );
  return res.rows;
}

/**
 * Marks the runs of `jobs` still `running` as `interrupted`; returns how many. Call it once the lock of
 * those jobs is held: any such row then belongs to a process that died. Other jobs' rows are left alone,
 * since their lock may be held by a live process.
 */
export async function interruptRunningJobs(db: Db, at: Date, jobs: readonly LedgerJob[]): Promise<number> {
  for (const job of jobs) checkJob(job);
  if (jobs.length === 0) return 0;
  const res = await db.query(
    `UPDATE maintenance_job_runs SET status = 'interrupted', finished_at = $1,
       error = coalesce(error, 'the process running it stopped before it finished')
     WHERE status = 'running' AND job = ANY($2::text[])`,
    [at, [...new Set(jobs)]],
  );
  return res.rowCount ?? 0;
}

function checkJob(job: string): void {
  if (!(LEDGER_JOBS as readonly string[]).includes(job)) {
    throw new DbError('INVALID_ARGUMENT', `job must be one of ${LEDGER_JOBS.join(', ')}, got ${JSON.stringify(job)}`);
  }
}
