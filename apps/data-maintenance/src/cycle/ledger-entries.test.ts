import { describe, expect, it } from 'vitest';
import type { RunWithTasks, TaskRunRecord } from '../db/run-ledger.js';
import { finishPending, latestEntries } from './ledger-entries.js';

const taskRow = (runId: number, task: string, status: TaskRunRecord['status'], startedAt: string): TaskRunRecord => ({
  runId,
  task,
  status,
  attempt: runId,
  startedAt: new Date(startedAt),
  finishedAt: null,
  result: null,
  error: null,
});

const run = (runId: number, taskRuns: TaskRunRecord[]): RunWithTasks => ({
  runId,
  date: '2026-11-20',
  trigger: 'test',
  tasks: taskRuns.map((t) => t.task),
  status: 'completed',
  startedAt: taskRuns[0]?.startedAt ?? new Date(0),
  finishedAt: null,
  error: null,
  taskRuns,
});

describe('latestEntries', () => {
  it('takes the attempt of the later run even when its replica clock is behind', () => {
    const interrupted = run(1, [taskRow(1, 'enrich_metadata', 'interrupted', '2026-11-20T22:10:00Z')]);
    // The resuming replica's clock is 30 s behind: its attempt carries the earlier timestamp.
    const resumed = run(2, [taskRow(2, 'enrich_metadata', 'completed', '2026-11-20T22:09:30Z')]);
    expect(latestEntries([interrupted, resumed]).get('enrich_metadata')?.status).toBe('completed');
    expect(latestEntries([resumed, interrupted]).get('enrich_metadata')?.status).toBe('completed');
  });

  it('ignores rows that are not cycle tasks', () => {
    expect(latestEntries([run(1, [taskRow(1, 'cleanup_old_data', 'completed', '2026-11-20T22:00:00Z')])]).size).toBe(0);
  });
});

describe('finishPending', () => {
  const done = (task: string) => taskRow(3, task, 'completed', '2026-11-20T22:10:00Z');
  it('is a run that did all its tasks but was not recorded completed', () => {
    expect(finishPending({ ...run(3, [done('enrich_metadata'), done('sync_redis')]), status: 'failed' })).toBe(true);
    expect(finishPending({ ...run(3, [done('sync_redis')]), status: 'interrupted' })).toBe(true);
    expect(finishPending({ ...run(3, [done('sync_redis')]), status: 'running' })).toBe(true);
  });
  it('is not a completed run, nor one with a task left undone, nor no run at all', () => {
    expect(finishPending(run(3, [done('sync_redis')]))).toBe(false);
    expect(finishPending({ ...run(3, [done('enrich_metadata'), taskRow(3, 'sync_redis', 'failed', '2026-11-20T22:11:00Z')]), status: 'failed' })).toBe(false);
    expect(finishPending({ ...run(3, [done('enrich_metadata')]), tasks: ['enrich_metadata', 'sync_redis'], status: 'interrupted' })).toBe(false);
    expect(finishPending(undefined)).toBe(false);
  });
});
