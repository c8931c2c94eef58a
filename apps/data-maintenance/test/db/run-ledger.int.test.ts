import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  completedTasks,
  createRun,
  datesFullyCompleted,
  finishRun,
  finishTask,
  interruptRunning,
  latestRunForDate,
  runsBetween,
  startTask,
} from '../../src/db/run-ledger.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const t = (iso: string) => new Date(`2026-11-20T${iso}Z`);

describe('run ledger', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('round-trips a run with completed, failed and skipped tasks', async () => {
    const tasks = ['load_ohlc', 'load_volume_slots', 'calculate_atr'];
    const run = await createRun(db.pool, { date: '2026-11-20', trigger: 'cli', tasks, startedAt: t('22:00:00') });
    expect(run).toMatchObject({ date: '2026-11-20', trigger: 'cli', tasks, status: 'running', finishedAt: null });

    const started = await startTask(db.pool, run.runId, 'load_ohlc', t('22:00:01'));
    expect(started).toMatchObject({ task: 'load_ohlc', status: 'running', attempt: 1, result: null });
    const result = { status: 'success', loaded: 12000, failed: 0, nested: { reasons: ['x'] } };
    await finishTask(db.pool, run.runId, 'load_ohlc', { status: 'completed', finishedAt: t('22:00:05'), result });
    await startTask(db.pool, run.runId, 'load_volume_slots', t('22:00:06'));
    await finishTask(db.pool, run.runId, 'load_volume_slots', {
      status: 'failed',
      finishedAt: t('22:01:00'),
      result: { status: 'failed', failedTickers: ['ZZZ'] },
      error: '1 ticker failed',
    });
    await finishTask(db.pool, run.runId, 'calculate_atr', {
      status: 'skipped',
      finishedAt: t('22:01:00'),
      result: { status: 'skipped', reason: 'input load_volume_slots failed' },
    });
    await finishRun(db.pool, run.runId, { status: 'failed', finishedAt: t('22:01:01'), error: 'load_volume_slots failed' });

    const latest = await latestRunForDate(db.pool, '2026-11-20');
    expect(latest).toMatchObject({ runId: run.runId, status: 'failed', error: 'load_volume_slots failed' });
    expect(latest?.finishedAt?.toISOString()).toBe('2026-11-20T22:01:01.000Z');
    expect(latest?.taskRuns.map((r) => [r.task, r.status, r.attempt])).toEqual([
      ['load_ohlc', 'completed', 1],
      ['load_volume_slots', 'failed', 1],
      ['calculate_atr', 'skipped', 1],
    ]);
    expect(latest?.taskRuns[0]?.result).toEqual(result);
    expect(latest?.taskRuns[1]?.error).toBe('1 ticker failed');
    expect(await completedTasks(db.pool, '2026-11-20')).toEqual(new Set(['load_ohlc']));
    expect(await latestRunForDate(db.pool, '2026-11-19')).toBeNull();
  });

  it('a resumed run counts attempts across runs and completes the date', async () => {
    const tasks = ['load_ohlc', 'load_volume_slots'];
    const first = await createRun(db.pool, { date: '2026-11-20', trigger: 'schedule', tasks, startedAt: t('22:00:00') });
    await startTask(db.pool, first.runId, 'load_ohlc', t('22:00:01'));
    await finishTask(db.pool, first.runId, 'load_ohlc', { status: 'completed', finishedAt: t('22:00:02') });
    await startTask(db.pool, first.runId, 'load_volume_slots', t('22:00:03'));
    await finishTask(db.pool, first.runId, 'load_volume_slots', { status: 'failed', finishedAt: t('22:00:04'), error: 'boom' });
    await finishRun(db.pool, first.runId, { status: 'failed', finishedAt: t('22:00:05') });
    expect(await datesFullyCompleted(db.pool, ['2026-11-20'], tasks)).toEqual(new Set());

    const second = await createRun(db.pool, { date: '2026-11-20', trigger: 'catch_up', tasks: ['load_volume_slots'], startedAt: t('23:00:00') });
    expect((await startTask(db.pool, second.runId, 'load_volume_slots', t('23:00:01'))).attempt).toBe(2);
    // A retry inside the same run is attempt 3.
    expect((await startTask(db.pool, second.runId, 'load_volume_slots', t('23:00:02'))).attempt).toBe(3);
    await finishTask(db.pool, second.runId, 'load_volume_slots', { status: 'completed', finishedAt: t('23:00:03') });
    await finishRun(db.pool, second.runId, { status: 'completed', finishedAt: t('23:00:04') });

    expect(await completedTasks(db.pool, '2026-11-20')).toEqual(new Set(tasks));
    expect(await datesFullyCompleted(db.pool, ['2026-11-19', '2026-11-20'], tasks)).toEqual(new Set(['2026-11-20']));
    const runs = await runsBetween(db.pool, '2026-11-01', '2026-11-30');
    expect(runs.map((r) => [r.runId, r.status, r.taskRuns.length])).toEqual([
      [first.runId, 'failed', 2],
      [second.runId, 'completed', 1],
    ]);
    expect((await latestRunForDate(db.pool, '2026-11-20'))?.runId).toBe(second.runId);
  });

  it('a task that completed and then failed on a re-run is no longer complete', async () => {
    const a = await createRun(db.pool, { date: '2026-11-20', trigger: 'cli', tasks: ['sync_redis'], startedAt: t('22:00:00') });
    await startTask(db.pool, a.runId, 'sync_redis', t('22:00:01'));
    await finishTask(db.pool, a.runId, 'sync_redis', { status: 'completed', finishedAt: t('22:00:02') });
    const b = await createRun(db.pool, { date: '2026-11-20', trigger: 'cli', tasks: ['sync_redis'], startedAt: t('22:10:00') });
    await startTask(db.pool, b.runId, 'sync_redis', t('22:10:01'));
    await finishTask(db.pool, b.runId, 'sync_redis', { status: 'failed', finishedAt: t('22:10:02') });
    expect(await completedTasks(db.pool, '2026-11-20')).toEqual(new Set());
  });

  it('marks what a dead process left running as interrupted', async () => {
    const run = await createRun(db.pool, { date: '2026-11-20', trigger: 'schedule', tasks: ['load_ohlc'], startedAt: t('22:00:00') });
    await startTask(db.pool, run.runId, 'load_ohlc', t('22:00:01'));
    expect(await interruptRunning(db.pool, t('22:30:00'))).toEqual({ runs: 1, tasks: 1 });
    const latest = await latestRunForDate(db.pool, '2026-11-20');
    expect(latest?.status).toBe('interrupted');
    expect(latest?.taskRuns[0]?.status).toBe('interrupted');
    expect(latest?.taskRuns[0]?.finishedAt?.toISOString()).toBe('2026-11-20T22:30:00.000Z');
    expect(await interruptRunning(db.pool, t('22:31:00'))).toEqual({ runs: 0, tasks: 0 });
  });

  it('refuses to finish a task that never started, or a run that does not exist', async () => {
    const run = await createRun(db.pool, { date: '2026-11-20', trigger: 'cli', tasks: ['load_ohlc'], startedAt: t('22:00:00') });
    await expect(finishTask(db.pool, run.runId, 'load_ohlc', { status: 'completed', finishedAt: t('22:00:01') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(finishRun(db.pool, run.runId + 1000, { status: 'completed', finishedAt: t('22:00:01') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(startTask(db.pool, run.runId + 1000, 'load_ohlc', t('22:00:01'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(createRun(db.pool, { date: '2026-11-20', trigger: 'cli', tasks: [], startedAt: t('22:00:00') })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
