import { describe, expect, it } from 'vitest';
import type { RunWithTasks, TaskRunRecord } from '../db/run-ledger.js';
import { latestEntries } from './ledger-entries.js';

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
