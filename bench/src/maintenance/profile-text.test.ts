import { describe, expect, it } from 'vitest';
import type { TaskMeasurement } from './measurement.js';
import { describeProfile, describeTaskProfiles, readLoadProfile, readProfiles } from './profile-text.js';

const summary = {
  sampledMs: 30_000,
  idleMs: 12_000,
  top: [
    { frame: 'syntheticDay (apps/data-maintenance/src/sources/synthetic/synthetic-day.ts:50)', selfMs: 9_000, percentOfBusy: 50 },
    { frame: '(garbage collector)', selfMs: 1_800, percentOfBusy: 10 },
  ],
};

function task(name: string, seconds: number, profiled: boolean): TaskMeasurement {
  return { task: name, status: 'completed', seconds, sourceSeconds: 0, peakRssBytes: 0, rows: 0, keys: 0, ...(profiled ? { profile: summary } : {}) };
}

describe('describeProfile', () => {
  it('gives the idle and CPU seconds and the top functions with their share', () => {
    const text = describeProfile('the cycle', summary);
    expect(text).toContain('30.0 s sampled, 12.0 s idle');
    expect(text).toContain('18.0 s on the CPU');
    expect(text).toContain('syntheticDay (apps/data-maintenance/src/sources/synthetic/synthetic-day.ts:50) 50%; (garbage collector) 10%.');
  });
});

describe('describeTaskProfiles', () => {
  it('describes the slowest profiled tasks first, leaving out the rest', () => {
    const text = describeTaskProfiles([task('load_ohlc', 5, true), task('calculate_rvol_averages', 80, true), task('calculate_atr', 15, true), task('sync_redis', 1, true)], 2);
    expect(text.indexOf('calculate_rvol_averages (80.0 s in this run): 12.0 s idle')).toBeGreaterThan(-1);
    expect(text.indexOf('calculate_rvol_averages')).toBeLessThan(text.indexOf('calculate_atr'));
    expect(text).not.toContain('load_ohlc');
    expect(text).not.toContain('sync_redis');
  });
});

describe('readProfiles', () => {
  function profiled(name: string, seconds: number, frames: string[]): TaskMeasurement {
    return {
      ...task(name, seconds, false),
      profile: { sampledMs: 1, idleMs: 0, top: frames.map((frame) => ({ frame, selfMs: 1, percentOfBusy: 10 })) },
    };
  }

  it('points at row parsing when it is among the slow RVOL task\'s top functions', () => {
    const readings = readProfiles([profiled('calculate_rvol_averages', 80, ['(garbage collector)', 'parseDate (postgres-date/index.js:8)']), profiled('load_ohlc', 5, ['syntheticDay'])]);
    expect(readings).toHaveLength(1);
    expect(readings[0]).toContain('averaging in PostgreSQL');
  });

  it('says nothing when the profile shows none of the known patterns', () => {
    expect(readProfiles([profiled('calculate_rvol_averages', 80, ['computeSlotAverages (apps/x.ts:1)'])])).toEqual([]);
  });
});

describe('readLoadProfile', () => {
  it('names COPY text encoding and validation when they are among the top functions', () => {
    const readings = readLoadProfile({
      sampledMs: 1,
      idleMs: 0,
      top: ['encode (apps/data-maintenance/src/db/copy-rows.ts:1)', 'distinct (apps/data-maintenance/src/db/validate.ts:1)'].map((frame) => ({ frame, selfMs: 1, percentOfBusy: 10 })),
    });
    expect(readings).toHaveLength(2);
    expect(readings[0]).toContain('COPY text');
  });
});
