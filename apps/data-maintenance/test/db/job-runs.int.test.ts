import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  completedJobDates,
  finishJobRun,
  interruptRunningJobs,
  jobRunsBetween,
  startJobRun,
} from '../../src/db/job-runs.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const t = (iso: string) => new Date(`2026-11-20T${iso}Z`);

describe('job ledger (maintenance_job_runs)', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('round-trips a run from running to completed with its JSON result', async () => {
    const run = await startJobRun(db.pool, { job: 'new_day', date: '2026-11-20', trigger: 'schedule', startedAt: t('08:00:00') });
    expect(run).toEqual({
      id: run.id,
      job: 'new_day',
      date: '2026-11-20',
      trigger: 'schedule',
      status: 'running',
      startedAt: t('08:00:00'),
      finishedAt: null,
      result: null,
      error: null,
    });
    expect(typeof run.id).toBe('number');

    const result = { published: true, receivers: 2, websocket: { status: 'failed', detail: 'connect ECONNREFUSED' } };
    const done = await finishJobRun(db.pool, run.id, { status: 'completed', finishedAt: t('08:00:01'), result, error: null });
    expect(done).toMatchObject({ id: run.id, status: 'completed', result, error: null });
    expect(done.finishedAt?.toISOString()).toBe('2026-11-20T08:00:01.000Z');
    expect(await jobRunsBetween(db.pool, '2026-11-20', '2026-11-20')).toEqual([done]);
  });

  it('records a failure with its error', async () => {
    const run = await startJobRun(db.pool, { job: 'weekly_cleanup', date: '2026-11-22', trigger: 'cli', startedAt: t('08:00:00') });
    const failed = await finishJobRun(db.pool, run.id, { status: 'failed', finishedAt: t('08:00:03'), result: undefined, error: 'REDIS_UNAVAILABLE: down' });
    expect(failed).toMatchObject({ status: 'failed', result: null, error: 'REDIS_UNAVAILABLE: down' });
  });

  it('completedJobDates counts any completed run of that job, even one followed by a failed re-run', async () => {
    const finish = async (job: 'new_day' | 'weekly_cleanup', date: string, status: 'completed' | 'failed') => {
      const run = await startJobRun(db.pool, { job, date, trigger: 'schedule', startedAt: t('08:00:00') });
      await finishJobRun(db.pool, run.id, { status, finishedAt: t('08:00:01'), result: null, error: status === 'failed' ? 'x' : null });
    };
    await finish('new_day', '2026-11-18', 'completed');
    await finish('new_day', '2026-11-18', 'failed');
    await finish('new_day', '2026-11-19', 'failed');
    await finish('weekly_cleanup', '2026-11-20', 'completed');
    await startJobRun(db.pool, { job: 'new_day', date: '2026-11-20', trigger: 'schedule', startedAt: t('08:00:00') });

    const dates = ['2026-11-18', '2026-11-19', '2026-11-20'];
    expect(await completedJobDates(db.pool, 'new_day', dates)).toEqual(new Set(['2026-11-18']));
    expect(await completedJobDates(db.pool, 'weekly_cleanup', dates)).toEqual(new Set(['2026-11-20']));
    expect(await completedJobDates(db.pool, 'new_day', [])).toEqual(new Set());
  });

  it('jobRunsBetween orders by date then start order, and filters by job', async () => {
    const b = await startJobRun(db.pool, { job: 'new_day', date: '2026-11-20', trigger: 'schedule', startedAt: t('08:00:00') });
    const a = await startJobRun(db.pool, { job: 'new_day', date: '2026-11-19', trigger: 'catch_up', startedAt: t('08:00:01') });
    const c = await startJobRun(db.pool, { job: 'weekly_cleanup', date: '2026-11-20', trigger: 'schedule', startedAt: t('08:00:02') });
    const d = await startJobRun(db.pool, { job: 'new_day', date: '2026-11-20', trigger: 'cli', startedAt: t('08:00:03') });
    await startJobRun(db.pool, { job: 'new_day', date: '2026-11-23', trigger: 'cli', startedAt: t('08:00:04') });

    const ids = (rows: ReadonlyArray<{ id: number }>) => rows.map((r) => r.id);
    expect(ids(await jobRunsBetween(db.pool, '2026-11-19', '2026-11-20'))).toEqual([a.id, b.id, c.id, d.id]);
    expect(ids(await jobRunsBetween(db.pool, '2026-11-19', '2026-11-20', 'new_day'))).toEqual([a.id, b.id, d.id]);
    expect(ids(await jobRunsBetween(db.pool, '2026-11-20', '2026-11-20', 'weekly_cleanup'))).toEqual([c.id]);
  });

  it('interruptRunningJobs marks only running rows of the named jobs', async () => {
    const newDay = await startJobRun(db.pool, { job: 'new_day', date: '2026-11-20', trigger: 'schedule', startedAt: t('08:00:00') });
    const cleanup = await startJobRun(db.pool, { job: 'weekly_cleanup', date: '2026-11-22', trigger: 'schedule', startedAt: t('08:00:00') });
    const finished = await startJobRun(db.pool, { job: 'new_day', date: '2026-11-19', trigger: 'schedule', startedAt: t('08:00:00') });
    await finishJobRun(db.pool, finished.id, { status: 'completed', finishedAt: t('08:00:01'), result: { ok: true }, error: null });

    expect(await interruptRunningJobs(db.pool, t('09:00:00'), ['new_day'])).toBe(1);
    expect(await interruptRunningJobs(db.pool, t('09:00:00'), ['new_day'])).toBe(0);
    expect(await interruptRunningJobs(db.pool, t('09:00:00'), [])).toBe(0);

    const rows = new Map((await jobRunsBetween(db.pool, '2026-11-01', '2026-11-30')).map((r) => [r.id, r]));
    expect(rows.get(newDay.id)).toMatchObject({ status: 'interrupted', error: 'the process running it stopped before it finished' });
    expect(rows.get(newDay.id)?.finishedAt?.toISOString()).toBe('2026-11-20T09:00:00.000Z');
    expect(rows.get(cleanup.id)).toMatchObject({ status: 'running', finishedAt: null });
    expect(rows.get(finished.id)).toMatchObject({ status: 'completed', error: null });

    expect(await interruptRunningJobs(db.pool, t('09:30:00'), ['weekly_cleanup', 'new_day'])).toBe(1);
  });

  it('refuses bad input with stable codes and writes nothing', async () => {
    const start = (input: object) => startJobRun(db.pool, { job: 'new_day', date: '2026-11-20', trigger: 'cli', startedAt: t('08:00:00'), ...input } as never);
    await expect(start({ job: 'daily_maintenance' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(start({ date: '2026-02-30' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(start({ trigger: ' ' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(finishJobRun(db.pool, 12345, { status: 'completed', finishedAt: t('08:00:00'), result: null, error: null })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const run = await start({});
    await expect(finishJobRun(db.pool, run.id, { status: 'running' as never, finishedAt: t('08:00:00'), result: null, error: null })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(completedJobDates(db.pool, 'bogus' as never, ['2026-11-20'])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(jobRunsBetween(db.pool, '2026-11-20', 'today')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await jobRunsBetween(db.pool, '2026-01-01', '2026-12-31')).toHaveLength(1);
  });

  it('the table refuses unknown jobs and statuses, and a finished row without finished_at', async () => {
    const insert = (job: string, status: string, finished: Date | null) =>
      db.pool.query(`INSERT INTO maintenance_job_runs (job, date, trigger, status, started_at, finished_at) VALUES ($1, '2026-11-20', 'x', $2, now(), $3)`, [
        job,
        status,
        finished,
      ]);
    await expect(insert('daily_maintenance', 'running', null)).rejects.toMatchObject({ code: '23514' });
    await expect(insert('new_day', 'done', t('08:00:00'))).rejects.toMatchObject({ code: '23514' });
    await expect(insert('new_day', 'completed', null)).rejects.toMatchObject({ code: '23514' });
    await expect(insert('new_day', 'running', null)).resolves.toMatchObject({ rowCount: 1 });
  });
});
