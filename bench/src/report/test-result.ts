import type { BenchResult } from './results.js';

/** A complete, valid result for the report's unit tests; override what a test is about. */
export function sampleResult(overrides: Partial<BenchResult> = {}): BenchResult {
  return {
    name: 'sample',
    title: 'Sample benchmark',
    command: 'npm run bench:sample',
    machine: {
      cores: 2,
      cpuModel: 'Test CPU',
      memoryGiB: 7.8,
      os: 'Linux 6.1 x64',
      node: 'v20.19.0',
      redis: '7.0.15',
      postgres: '15.20',
    },
    startedAt: '2026-11-20T22:00:00.000Z',
    durationSeconds: 61.4,
    repetitions: 3,
    tables: [{ title: 'Per task', columns: ['task', 'wall s'], rows: [['load_ohlc', '1.20 (1.10–1.30)'], ['total', 12.5]] }],
    charts: [
      {
        title: 'Wall time per method',
        unit: 'seconds',
        bars: [
          { label: 'ours', median: 12, min: 11, max: 13 },
          { label: 'original', median: 240, min: 230, max: 250 },
        ],
      },
    ],
    targets: [
      { target: 'cycle <= 30 s', measured: '12.0 s', met: true, explanation: null },
      { target: 'slot load <= 1.5x COPY', measured: '1.8x', met: false, explanation: 'validation | parsing' },
    ],
    notes: ['History: 100 sessions.'],
    ...overrides,
  };
}
