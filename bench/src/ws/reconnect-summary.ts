import { formatNumber, formatSpread } from '../report/format.js';
import type { BenchChart, BenchTable, TargetCheck } from '../report/results.js';
import { type Spread, spread } from '../report/stats.js';
import { SCANNER_LISTS } from '@scanner/shared-types';
import type { StormRun } from './reconnect-run.js';

export interface StormReport {
  readonly tables: BenchTable[];
  readonly charts: BenchChart[];
  readonly targets: TargetCheck[];
}

const dash = '–';

function over(runs: readonly StormRun[], pick: (run: StormRun) => number | null): Spread | null {
  const values = runs.map(pick).filter((v): v is number => v !== null);
  return values.length === 0 ? null : spread(values);
}

function show(value: Spread | null): string {
  return value === null ? dash : formatSpread(value);
}

/** "subscribe/ok 11, no_state/ok 2" from each run, joined per run. */
function countsText(runs: readonly StormRun[], pick: (run: StormRun) => Readonly<Record<string, number>>): string {
  return runs
    .map((run) => {
      const entries = Object.entries(pick(run)).filter(([, n]) => n > 0);
      return entries.length === 0 ? 'none' : entries.map(([key, n]) => `${key} ${formatNumber(n)}`).join(', ');
    })
    .join(' | ');
}

export function stormReport(runs: readonly StormRun[], clients: number): StormReport {
  const completed = runs.filter((run) => run.failure === null);
  const table: BenchTable = {
    title: `Reconnect storm: ${formatNumber(clients)} clients reconnect at once after a websocket-server restart, median (min–max) of ${runs.length} runs`,
    columns: ['measure', 'value'],
    rows: [
      ['runs completed', `${completed.length} of ${runs.length}`],
      ['restart: SIGTERM until the new process answers /readyz (ms)', show(over(runs, (r) => r.restartMs))],
      ['reconnect signal until the last handshake (ms)', show(over(runs, (r) => r.allConnectedMs))],
      ['reconnect signal until every client holds all 11 snapshots (ms)', show(over(runs, (r) => r.allSnapshotsMs))],
      ['per client, signal until all 11 snapshots: p50 (ms)', show(over(runs, (r) => r.snapshotsP50Ms))],
      ['per client, signal until all 11 snapshots: p99 (ms)', show(over(runs, (r) => r.snapshotsP99Ms))],
      ['connection attempts / refused and retried', `${show(over(runs, (r) => r.attempts))} / ${show(over(runs, (r) => r.failedAttempts))}`],
      ['Redis GET/MGET commands reading category keys (restart to end of storm)', show(over(runs, (r) => r.categoryReadCommands))],
      ['category-key reads in them, lists read, most reads of one list', `${show(over(runs, (r) => r.categoryListReads))}, ${show(over(runs, (r) => r.listsRead))}, ${show(over(runs, (r) => r.maxReadsOfOneList))}`],
      ["websocket-server's list loads (reason/outcome), per run", countsText(runs, (r) => r.listLoads)],
      ["websocket-server's snapshot sources, per run", countsText(runs, (r) => r.snapshotSources)],
    ],
  };
  const bar = (label: string, pick: (run: StormRun) => number | null) => {
    const value = over(runs, pick);
    return value === null ? [] : [{ label, median: value.median, min: value.min, max: value.max }];
  };
  const chart: BenchChart = {
    title: `Reconnect storm (${formatNumber(clients)} clients): time from the reconnect signal`,
    unit: 'ms',
    bars: [
      ...bar('all handshakes done', (r) => r.allConnectedMs),
      ...bar('p50 client has its snapshots', (r) => r.snapshotsP50Ms),
      ...bar('p99 client has its snapshots', (r) => r.snapshotsP99Ms),
      ...bar('every client has its snapshots', (r) => r.allSnapshotsMs),
    ],
  };
  const reads = over(completed, (r) => r.categoryListReads);
  const worstList = Math.max(0, ...completed.map((r) => r.maxReadsOfOneList));
  const met = reads !== null && worstList <= 1;
  const target: TargetCheck = {
    target: `one Redis read of each category key during the storm (${SCANNER_LISTS.length} for the 11 lists)`,
    measured:
      reads === null
        ? 'no storm completed'
        : `${show(reads)} category-key reads per storm (most reads of one list in any run: ${worstList})`,
    met,
    explanation: met
      ? null
      : `websocket-server's own counters of list loads per run (reason/outcome, reasons as in its README: subscribe = a snapshot miss, no_state/gap/conflict/stream_loss = a stream entry the list could not take): ${countsText(runs, (r) => r.listLoads)}.`,
  };
  return { tables: [table], charts: [chart], targets: [target] };
}
