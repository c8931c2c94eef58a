import { describe, expect, it } from 'vitest';
import { parseResult } from '../report/results.js';
import { maintenancePlan } from './bench-plan.js';
import type { RunMeasurement, TaskMeasurement, Variant } from './measurement.js';
import type { Sample } from './samples.js';
import { summarizeMaintenance } from './summarize.js';
import { nyseCalendar } from '@scanner/market-calendar';

const TASKS = ['load_ohlc', 'load_volume_slots', 'calculate_atr', 'calculate_rvol_averages', 'enrich_metadata', 'auto_recover_missing_tickers', 'sync_redis'];

/** A run whose tasks each take `perTask` seconds (load_volume_slots `slots`), so totals are easy to check. */
function cycleRun(variant: Variant, perTask: number, slots = perTask, extra: Record<string, number> = {}): RunMeasurement {
  const tasks: TaskMeasurement[] = TASKS.map((task) => ({
    task,
    status: 'completed',
    seconds: task === 'load_volume_slots' ? slots : perTask,
    sourceSeconds: task === 'load_ohlc' ? perTask / 2 : 0,
    peakRssBytes: 100 * 1024 * 1024,
    rows: task === 'load_volume_slots' ? 936_000 : 0,
    keys: task === 'calculate_atr' ? 12_000 : 0,
  }));
  return { variant, totalSeconds: tasks.reduce((n, t) => n + t.seconds, 0), maxRssBytes: 200 * 1024 * 1024, tasks, extra };
}

function floorsRun(copy: number, appLoad: number): RunMeasurement {
  return {
    variant: 'floors',
    totalSeconds: copy + appLoad,
    maxRssBytes: 0,
    tasks: [],
    extra: { copy_seconds: copy, copy_rows: 936_000, app_load_seconds: appLoad, app_load_rows: 936_000, pipeline_seconds: 1, app_redis_seconds: 2, redis_keys: 36_000 },
  };
}

const sample = { slot_sample_a_rows: 23_400, slot_sample_a_seconds: 12, slot_sample_b_rows: 46_800, slot_sample_b_seconds: 24, slot_insert_seconds_scaled: 480 };

function samples(appTotals: readonly number[], originalPerTask: readonly number[], floorCopy = 4, floorApp = 5): Sample[] {
  return appTotals.flatMap((app, repetition) => [
    { repetition, run: cycleRun('cycle-synthetic', app / 7) },
    { repetition, run: cycleRun('original', originalPerTask[repetition] ?? 0, originalPerTask[repetition] ?? 0, sample) },
    { repetition, run: floorsRun(floorCopy, floorApp) },
    { repetition, run: cycleRun('cycle-polygon', (app * 2) / 7, (app * 2) / 7, { http_requests: 36_000 }) },
    { repetition, run: cycleRun('cycle-flatfiles', app / 7) },
  ]);
}

const plan = maintenancePlan(false, nyseCalendar);
const base = {
  plan,
  machine: { cores: 2, cpuModel: 'cpu', memoryGiB: 8, os: 'Linux', node: 'v20', redis: '7', postgres: '15' },
  command: 'npm run bench:maintenance',
  startedAt: '2026-11-21T00:00:00.000Z',
  durationSeconds: 900,
  setupSeconds: 200,
  notes: ['a note'],
};

describe('summarizeMaintenance', () => {
  it('writes a result the report accepts, with the issue\'s three targets', () => {
    const result = summarizeMaintenance({ ...base, samples: samples([21, 14, 28], [30, 40, 50]) });
    expect(parseResult(JSON.parse(JSON.stringify(result)), 'maintenance.json')).toEqual(result);
    expect(result.targets.map((t) => t.target)).toEqual([
      'whole cycle <= 30 s on this machine',
      '>= 10x faster than the original method (same tasks, same data)',
      'slot load within 1.5x of the COPY floor',
    ]);
  });

  it('reports the median run and its min-max, and the speed-up as the median of per-repetition ratios', () => {
    // App totals 21, 14, 28; original totals 7x per task: 210, 280, 350. Pair ratios 10, 20, 12.5.
    const result = summarizeMaintenance({ ...base, samples: samples([21, 14, 28], [30, 40, 50]) });
    const [cycle, speedup] = result.targets;
    expect(cycle).toMatchObject({ met: true, explanation: null });
    expect(cycle?.measured).toContain('synthetic source 21.00 (14.00–28.00) s (polygon: its three source tasks take 2.00 (2.00–2.00)× the synthetic ones');
    expect(speedup).toMatchObject({ met: true, measured: expect.stringContaining('12.50 (10.00–20.00)×') });
  });

  it('states a missed target with where the time went', () => {
    // App 70 s (10 s a task, 5 s of load_ohlc in the source); original 10x per task only 1.0x overall.
    const result = summarizeMaintenance({ ...base, samples: samples([70, 70, 70], [10, 10, 10], 4, 8) }, { floor: 'validation is 40% of the load' });
    const [cycle, speedup, floor] = result.targets;
    expect(cycle?.met).toBe(false);
    expect(cycle?.explanation).toContain('5.0 s of the 70.0 s are spent inside the data source');
    expect(speedup?.met).toBe(false);
    expect(floor).toMatchObject({ met: false, explanation: expect.stringContaining('validation is 40% of the load'), measured: expect.stringContaining('replaceVolumeSlots 2.00 (2.00–2.00)× of psql') });
  });

  it('tabulates rows/s and keys/s per task from the counts and the task\'s own time', () => {
    const result = summarizeMaintenance({ ...base, samples: samples([7, 7, 7], [1, 1, 1]) });
    const perTask = result.tables[0];
    const slots = perTask?.rows.find((row) => row[0] === 'load_volume_slots');
    // 936,000 rows in 1 s.
    expect(slots?.[4]).toBe('936,000 (936,000–936,000)');
    const atr = perTask?.rows.find((row) => row[0] === 'calculate_atr');
    expect(atr?.[6]).toBe('12,000 (12,000–12,000)');
    const linearity = result.tables.find((table) => table.title.startsWith('The original slot insert'));
    expect(linearity?.rows.map((row) => row[2])).toEqual(['1,950 (1,950–1,950)', '1,950 (1,950–1,950)', '1,950 (1,950–1,950)']);
  });

  it('draws the per-task comparison as grouped bars, app beside original', () => {
    const result = summarizeMaintenance({ ...base, samples: samples([7, 7, 7], [1, 1, 1]) });
    const perTask = result.charts.find((chart) => chart.title === 'Per task: app vs the original method');
    expect(perTask?.bars.slice(0, 2)).toEqual([
      { label: 'load_ohlc', group: 'app', median: 1, min: 1, max: 1 },
      { label: 'load_ohlc', group: 'original', median: 1, min: 1, max: 1 },
    ]);
  });
});
