import { describe, expect, it } from 'vitest';
import type { NewDayRound } from './new-day-run.js';
import { newDayReport } from './new-day-summary.js';

const round = (repetition: number, p99: number, missing = 0): NewDayRound => ({
  repetition,
  day: `2026-11-2${3 + repetition}`,
  receivers: 1,
  latency: { count: 5_000 - missing, p50: p99 / 2, p99, max: p99 + 5 },
  received: 5_000 - missing,
  missing,
});

describe('newDayReport', () => {
  it('summarises p50, p99 and the last client over the announcements', () => {
    const report = newDayReport([round(0, 40), round(1, 60), round(2, 50)], 5_000);
    expect(report.tables[0]?.rows).toEqual([['25 (20–30)', '50 (40–60)', '55 (45–65)', '5,000 (5,000–5,000)']]);
    expect(report.charts[0]?.bars.map((b) => [b.label, b.median])).toEqual([
      ['p50', 25],
      ['p99', 50],
      ['last client', 55],
    ]);
    expect(report.targets[0]?.met).toBe(true);
  });

  it('misses when a client never got new_day', () => {
    const target = newDayReport([round(0, 40, 3)], 5_000).targets[0];
    expect(target).toMatchObject({ met: false, measured: '0 of 1 announcements reached every client (3 misses in all)' });
  });
});
