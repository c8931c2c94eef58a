import { describe, expect, it } from 'vitest';
import type { StormRun } from './reconnect-run.js';
import { stormReport } from './reconnect-summary.js';

function storm(repetition: number, overrides: Partial<StormRun> = {}): StormRun {
  return {
    repetition,
    failure: null,
    restartMs: 1_500,
    allSnapshotsMs: 2_000 + repetition * 100,
    snapshotsP50Ms: 900,
    snapshotsP99Ms: 1_900,
    allConnectedMs: 1_200,
    attempts: 5_000,
    failedAttempts: 0,
    categoryReadCommands: 11,
    categoryListReads: 11,
    listsRead: 11,
    maxReadsOfOneList: 1,
    listLoads: { 'subscribe/ok': 11 },
    snapshotSources: { memory: 54_989, redis: 11 },
    ...overrides,
  };
}

describe('stormReport', () => {
  it('reports the medians and meets the target with one read per list', () => {
    const report = stormReport([storm(0), storm(1), storm(2)], 5_000);
    const rows = new Map((report.tables[0]?.rows ?? []).map((row) => [row[0], row[1]]));
    expect(rows.get('reconnect signal until every client holds all 11 snapshots (ms)')).toBe('2,100 (2,000–2,200)');
    expect(rows.get("websocket-server's list loads (reason/outcome), per run")).toBe('subscribe/ok 11 | subscribe/ok 11 | subscribe/ok 11');
    expect(report.targets[0]).toMatchObject({ met: true, measured: '11 (11–11) category-key reads per storm (most reads of one list in any run: 1)' });
    expect(report.charts[0]?.bars.map((b) => b.label)).toEqual([
      'all handshakes done',
      'p50 client has its snapshots',
      'p99 client has its snapshots',
      'every client has its snapshots',
    ]);
  });

  it('misses when a list is read twice, with the server\'s own load counters', () => {
    const twice = storm(0, { categoryListReads: 12, maxReadsOfOneList: 2, listLoads: { 'subscribe/ok': 11, 'no_state/ok': 1 } });
    const target = stormReport([twice], 5_000).targets[0];
    expect(target?.met).toBe(false);
    expect(target?.explanation).toContain('no_state/ok 1');
  });

  it('misses when no storm completed', () => {
    const target = stormReport([storm(0, { failure: 'only 10 of 5000 clients' })], 5_000).targets[0];
    expect(target).toMatchObject({ met: false, measured: 'no storm completed' });
  });
});
