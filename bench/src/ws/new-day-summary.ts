import { formatNumber, formatSpread } from '../report/format.js';
import type { BenchChart, BenchTable, TargetCheck } from '../report/results.js';
import { type Spread, spread } from '../report/stats.js';
import type { NewDayRound } from './new-day-run.js';

export interface NewDayReport {
  readonly tables: BenchTable[];
  readonly charts: BenchChart[];
  readonly targets: TargetCheck[];
}

function over(rounds: readonly NewDayRound[], pick: (round: NewDayRound) => number | undefined): Spread | null {
  const values = rounds.map(pick).filter((v): v is number => v !== undefined);
  return values.length === 0 ? null : spread(values);
}

export function newDayReport(rounds: readonly NewDayRound[], clients: number): NewDayReport {
  const show = (value: Spread | null) => (value === null ? '–' : formatSpread(value));
  const p50 = over(rounds, (r) => r.latency?.p50);
  const p99 = over(rounds, (r) => r.latency?.p99);
  const max = over(rounds, (r) => r.latency?.max);
  const table: BenchTable = {
    title: `New-day propagation: PUBLISH trading:new_day until each of ${formatNumber(clients)} clients receives new_day (ms), median (min–max) of ${rounds.length} announcements`,
    columns: ['p50', 'p99', 'max (the last client)', 'clients that received it'],
    rows: [[show(p50), show(p99), show(max), show(over(rounds, (r) => r.received))]],
  };
  const perRound: BenchTable = {
    title: 'Each announcement',
    columns: ['announced day', 'PUBLISH receivers', 'p50 ms', 'p99 ms', 'max ms', 'received', 'missing'],
    rows: rounds.map((r) => [r.day, r.receivers, r.latency?.p50 ?? '–', r.latency?.p99 ?? '–', r.latency?.max ?? '–', r.received, r.missing]),
  };
  const bars = [
    ['p50', p50],
    ['p99', p99],
    ['last client', max],
  ].flatMap(([label, value]) => (value === null ? [] : [{ label: label as string, median: (value as Spread).median, min: (value as Spread).min, max: (value as Spread).max }]));
  const missing = rounds.reduce((sum, r) => sum + r.missing, 0);
  const target: TargetCheck = {
    target: `every one of the ${formatNumber(clients)} clients receives new_day`,
    measured: `${rounds.filter((r) => r.missing === 0).length} of ${rounds.length} announcements reached every client (${missing} misses in all)`,
    met: rounds.length > 0 && missing === 0,
    explanation: missing === 0 ? null : 'Some clients had not received new_day 30 s after the PUBLISH; see the per-announcement table.',
  };
  return {
    tables: [table, perRound],
    charts: [{ title: `New-day propagation to ${formatNumber(clients)} clients`, unit: 'ms', bars }],
    targets: [target],
  };
}
