import { describe, expect, it } from 'vitest';
import { type LedgerRun, completedAttempts, latestTaskStatus } from './state-checksums-ledger.js';

const run = (runId: number, status: string, tasks: Array<[string, string]>): LedgerRun => ({
  runId,
  trigger: 'catch_up',
  status,
  tasks: tasks.map(([t]) => t),
  error: null,
  taskRuns: tasks.map(([task, s], i) => ({ task, status: s, attempt: i + 1, error: null })),
});

describe('the ledger views', () => {
  const runs = [
    run(1, 'failed', [['load_ohlc', 'completed'], ['load_volume_slots', 'failed']]),
    run(2, 'interrupted', [['load_volume_slots', 'completed'], ['calculate_atr', 'interrupted']]),
    run(3, 'completed', [['calculate_atr', 'completed'], ['load_ohlc', 'completed']]),
  ];
  it('latestTaskStatus takes each task from its last run', () => {
    expect(Object.fromEntries(latestTaskStatus(runs))).toEqual({ load_ohlc: 'completed', load_volume_slots: 'completed', calculate_atr: 'completed' });
    expect(latestTaskStatus(runs.slice(0, 2)).get('calculate_atr')).toBe('interrupted');
  });
  it('completedAttempts counts every completed attempt, so a task done twice shows', () => {
    expect(Object.fromEntries(completedAttempts(runs))).toEqual({ load_ohlc: 2, load_volume_slots: 1, calculate_atr: 1 });
    expect(completedAttempts([])).toEqual(new Map());
  });
});
