import type { IsoDate } from '@scanner/market-calendar';
import type { MaintenanceTaskStatus } from '@scanner/shared-types';
import { DbError } from './db-error.js';
import { groupBy } from './group-by.js';
import { atomically, type Db, type Transactional } from './pool.js';
import { checkDate, checkText, checkDates } from './validate.js';

/** A run as a whole: `interrupted` when its process died (found by `interruptRunning` at start-up). */
export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';
/** The shared-types task statuses: running, completed, failed, skipped, interrupted. */
export type TaskRunStatus = MaintenanceTaskStatus;

export interface RunRecord {
  readonly runId: number;
  readonly date: IsoDate;
  /** Who asked: schedule, catch_up, cli, backfill, http (free text, stored as given). */
  readonly trigger: string;
  /** The tasks requested, in run order. */
  readonly tasks: readonly string[];
  readonly status: RunStatus;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly error: string | null;
}

export interface TaskRunRecord {
  readonly runId: number;
  readonly task: string;
  readonly status: TaskRunStatus;
  /** 1 the first time the task ran for the date, counting every run of that date. */
  readonly attempt: number;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  /** The task's result object as stored (JSON). */
  readonly result: unknown;
  readonly error: string | null;
}

export interface RunWithTasks extends RunRecord {
  /** In the order the tasks started. */
  readonly taskRuns: readonly TaskRunRecord[];
}

const SELECT_RUN = `run_id::float8 AS "runId", date::text AS date, trigger, tasks, status, started_at AS "startedAt",
  finished_at AS "finishedAt", error`;
const SELECT_TASK = `run_id::float8 AS "runId", task, status, attempt, started_at AS "startedAt",
  finished_at AS "finishedAt", result, error`;

export interface CreateRunInput {
  readonly date: IsoDate;
  readonly trigger: string;
  readonly tasks: readonly string[];
  readonly startedAt: Date;
}

export async function createRun(db: Db, input: CreateRunInput): Promise<RunRecord> {
  checkDate(input.date);
  checkText(input.trigger, 'trigger');
  if (input.tasks.length === 0) throw new DbError('INVALID_ARGUMENT', 'a run needs at least one task');
  for (const task of input.tasks) checkText(task, 'task');
  const res = await db.query<RunRecord>(
    `INSERT INTO maintenance_runs (date, trigger, tasks, status, started_at)
     VALUES ($1, $2, $3::text[], 'running', $4) RETURNING ${SELECT_RUN}`,
    [input.date, input.trigger, [...input.tasks], input.startedAt],
  );
  return res.rows[0] as RunRecord;
}

/**
 * Marks a task as running in a run (a new row, or the same run's row again on a retry). The attempt
 * counts every earlier try of this task for the run's date, across runs.
 */
export async function startTask(db: Transactional, runId: number, task: string, startedAt: Date): Promise<TaskRunRecord> {
  checkText(task, 'task');
  return atomically(db, async (tx) => {
    const run = await tx.query<{ date: string }>('SELECT date::text AS date FROM maintenance_runs WHERE run_id = $1 FOR UPDATE', [runId]);
    const date = run.rows[0]?.date;
    if (date === undefined) throw new DbError('NOT_FOUND', `run ${runId} does not exist`);
    const res = await tx.query<TaskRunRecord>(
      `INSERT INTO maintenance_task_runs (run_id, task, status, attempt, started_at)
       SELECT $1, $2, 'running', 1 + coalesce(max(tr.attempt), 0), $3
       FROM maintenance_task_runs tr JOIN maintenance_runs r ON r.run_id = tr.run_id
       WHERE r.date = $4 AND tr.task = $2
       ON CONFLICT (run_id, task) DO UPDATE SET
         status = 'running', attempt = EXCLUDED.attempt, started_at = EXCLUDED.started_at,
         finished_at = NULL, result = NULL, error = NULL
       RETURNING ${SELECT_TASK}`,
      [runId, task, startedAt, date],
    );
    return res.rows[0] as TaskRunRecord;
  });
}

export interface FinishTaskInput {
  readonly status: Exclude<TaskRunStatus, 'running'>;
  readonly finishedAt: Date;
  /** Stored as JSON; must be JSON-serializable. */
  readonly result?: unknown;
  readonly error?: string | null;
}

/** Records a task's end. `skipped` tasks may be finished without having been started. */
export async function finishTask(db: Db, runId: number, task: string, input: FinishTaskInput): Promise<TaskRunRecord> {
  checkText(task, 'task');
  const result = input.result === undefined ? null : JSON.stringify(input.result);
  const params = [runId, task, input.status, input.finishedAt, result, input.error ?? null];
  const updated = await db.query<TaskRunRecord>(
    `UPDATE maintenance_task_runs SET status = $3, finished_at = $4, result = $5::jsonb, error = $6
     WHERE run_id = $1 AND task = $2 RETURNING ${SELECT_TASK}`,
    params,
  );
  if (updated.rows[0]) return updated.rows[0];
  if (input.status !== 'skipped') {
    throw new DbError('NOT_FOUND', `task ${task} of run ${runId} was never started`);
  }
  // A skipped task never starts: it gets its row (started = finished) so the ledger shows why.
  const inserted = await db.query<TaskRunRecord>(
    `INSERT INTO maintenance_task_runs (run_id, task, status, attempt, started_at, finished_at, result, error)
     SELECT $1, $2, $3, 1 + coalesce((SELECT max(tr.attempt) FROM maintenance_task_runs tr
                                     JOIN maintenance_runs r2 ON r2.run_id = tr.run_id
                                     WHERE r2.date = r.date AND tr.task = $2), 0),
            $4, $4, $5::jsonb, $6
     FROM maintenance_runs r WHERE r.run_id = $1
     RETURNING ${SELECT_TASK}`,
    params,
  );
  if (!inserted.rows[0]) throw new DbError('NOT_FOUND', `run ${runId} does not exist`);
  return inserted.rows[0];
}

export interface FinishRunInput {
  readonly status: Exclude<RunStatus, 'running'>;
  readonly finishedAt: Date;
  readonly error?: string | null;
}

export async function finishRun(db: Db, runId: number, input: FinishRunInput): Promise<RunRecord> {
  const res = await db.query<RunRecord>(
    `UPDATE maintenance_runs SET status = $2, finished_at = $3, error = $4 WHERE run_id = $1 RETURNING ${SELECT_RUN}`,
    [runId, input.status, input.finishedAt, input.error ?? null],
  );
  if (!res.rows[0]) throw new DbError('NOT_FOUND', `run ${runId} does not exist`);
  return res.rows[0];
}

/** The most recent run of a date with its task rows, or null when the date never ran. */
export async function latestRunForDate(db: Db, date: IsoDate): Promise<RunWithTasks | null> {
  checkDate(date);
  const run = await db.query<RunRecord>(
    `SELECT ${SELECT_RUN} FROM maintenance_runs WHERE date = $1 ORDER BY run_id DESC LIMIT 1`,
    [date],
  );
  const record = run.rows[0];
  if (!record) return null;
  const [withTasks] = await attachTasks(db, [record]);
  return withTasks ?? null;
}

/** Every run whose date is in [from, to], oldest first, with their task rows. */
export async function runsBetween(db: Db, from: IsoDate, to: IsoDate): Promise<RunWithTasks[]> {
  checkDate(from, 'from');
  checkDate(to, 'to');
  const runs = await db.query<RunRecord>(
    `SELECT ${SELECT_RUN} FROM maintenance_runs WHERE date BETWEEN $1 AND $2 ORDER BY date, run_id`,
    [from, to],
  );
  return attachTasks(db, runs.rows);
}

/**
 * "Latest" is by run_id, never by started_at: runs are numbered in the order they start (one runner
 * at a time), while replicas' clocks may disagree, so a resumed run could carry an earlier timestamp.
 */

/**
 * The tasks whose most recent attempt for `date` (across all its runs) completed: what a resumed run
 * skips. A task that completed and later failed on a re-run is not in the set.
 */
export async function completedTasks(db: Db, date: IsoDate): Promise<Set<string>> {
  checkDate(date);
  const res = await db.query<{ task: string }>(
    `SELECT task FROM (
       SELECT DISTINCT ON (tr.task) tr.task, tr.status
       FROM maintenance_task_runs tr JOIN maintenance_runs r ON r.run_id = tr.run_id
       WHERE r.date = $1
       ORDER BY tr.task, tr.run_id DESC
     ) latest WHERE status = 'completed'`,
    [date],
  );
  return new Set(res.rows.map((r) => r.task));
}

/**
 * Of `dates`, those where every one of `tasks` has completed as its latest attempt: a backfill or
 * catch-up skips them. The rest are what is missing. A date whose latest run did every task it was
 * asked for but was never recorded finished (the process died, or lost the database, before its final
 * flags) is missing too: its maintenance:executed and last_run are still to be written.
 */
export async function datesFullyCompleted(db: Db, dates: readonly IsoDate[], tasks: readonly string[]): Promise<Set<IsoDate>> {
  const days = checkDates(dates);
  if (days.length === 0 || tasks.length === 0) return new Set(tasks.length === 0 ? days : []);
  const res = await db.query<{ date: string }>(
    `SELECT date FROM (
       SELECT DISTINCT ON (r.date, tr.task) r.date::text AS date, tr.task, tr.status
       FROM maintenance_task_runs tr JOIN maintenance_runs r ON r.run_id = tr.run_id
       WHERE r.date = ANY($1::date[]) AND tr.task = ANY($2::text[])
       ORDER BY r.date, tr.task, tr.run_id DESC
     ) latest
     WHERE status = 'completed'
     GROUP BY date HAVING count(*) = $3
     EXCEPT
     SELECT date::text FROM (
       SELECT DISTINCT ON (date) run_id, date, status, tasks FROM maintenance_runs WHERE date = ANY($1::date[]) ORDER BY date, run_id DESC
     ) last_run
     WHERE status <> 'completed' AND NOT EXISTS (
       SELECT 1 FROM unnest(tasks) AS asked(task) WHERE NOT EXISTS (
         SELECT 1 FROM maintenance_task_runs tr WHERE tr.run_id = last_run.run_id AND tr.task = asked.task AND tr.status = 'completed'))`,
    [days, [...new Set(tasks)], new Set(tasks).size],
  );
  return new Set(res.rows.map((r) => r.date));
}

export type InterruptResult = {
  readonly runs: number;
  readonly tasks: number;
};

/**
 * Marks every run and task still `running` as `interrupted`. Call it once the single-runner lock is
 * held: any `running` row then belongs to a process that died.
 */
export async function interruptRunning(db: Transactional, at: Date): Promise<InterruptResult> {
  return atomically(db, async (tx) => {
    const tasks = await tx.query(
      `UPDATE maintenance_task_runs SET status = 'interrupted', finished_at = $1,
         error = coalesce(error, 'the process running it stopped before it finished')
       WHERE status = 'running'`,
      [at],
    );
    const runs = await tx.query(
      `UPDATE maintenance_runs SET status = 'interrupted', finished_at = $1,
         error = coalesce(error, 'the process running it stopped before it finished')
       WHERE status = 'running'`,
      [at],
    );
    return { runs: runs.rowCount ?? 0, tasks: tasks.rowCount ?? 0 };
  });
}

/**
 * Records that an exception ended run `runId` (Redis gone under its status writes, ...) while this
 * process lives on: the run `failed`, any of its tasks still `running` `interrupted`, so neither waits
 * for the next lock holder's `interruptRunning` to stop looking alive. A run already finished is left as it is.
 */
export async function abortRun(db: Transactional, runId: number, at: Date, error: string): Promise<void> {
  await atomically(db, async (tx) => {
    await tx.query(
      `UPDATE maintenance_task_runs SET status = 'interrupted', finished_at = $2, error = coalesce(error, $3)
       WHERE run_id = $1 AND status = 'running'`,
      [runId, at, error],
    );
    await tx.query(`UPDATE maintenance_runs SET status = 'failed', finished_at = $2, error = $3 WHERE run_id = $1 AND status = 'running'`, [
      runId,
      at,
      error,
    ]);
  });
}

async function attachTasks(db: Db, runs: readonly RunRecord[]): Promise<RunWithTasks[]> {
  if (runs.length === 0) return [];
  const res = await db.query<TaskRunRecord>(
    `SELECT ${SELECT_TASK} FROM maintenance_task_runs WHERE run_id = ANY($1::bigint[]) ORDER BY run_id, started_at, task`,
    [runs.map((r) => r.runId)],
  );
  const byRun = groupBy(res.rows, (row) => row.runId);
  return runs.map((r) => ({ ...r, taskRuns: byRun.get(r.runId) ?? [] }));
}
