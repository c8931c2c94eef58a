import { BenchError } from '../report/bench-error.js';
import { spread, type Spread } from '../report/stats.js';
import type { FanoutPlan } from './fanout-plan.js';
import type { FanoutRun } from './fanout-run.js';

/** What one completed run measured, in the units the report shows. */
export interface RunMetrics {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Deltas received over deltas upstream wrote in the window times the clients. */
  readonly delivered: number;
  readonly serverCpuPercent: number;
  readonly rssMiB: number;
  readonly rssPerConnectionKiB: number;
  readonly heapPerConnectionKiB: number;
  readonly loopDelayP99Ms: number;
  readonly messagesPerSecond: number;
  readonly mibPerSecond: number;
  /** What every client receiving every delta written in the window would have been. */
  readonly demandMiBPerSecond: number;
  /** Server CPU per MiB the clients received: cost per byte, less sensitive to a busy machine than latency. */
  readonly cpuMsPerMiB: number;
  readonly averageMessageKiB: number;
  readonly generatorsCpuPercent: number;
  readonly feedCpuPercent: number;
  readonly redisCpuPercent: number;
  /** Machine CPU not used by any process of the benchmark (other work on the machine), % of one core. */
  readonly otherCpuPercent: number;
  readonly machineBusyPercent: number;
  readonly feedDelayP50Ms: number;
  readonly feedDelayP99Ms: number;
  readonly snapshotsInWindow: number;
  readonly gaps: number;
}

const KIB = 1024;
const MIB = 1024 * 1024;

/** Null when the run has no window with latencies (it failed before or during it). */
export function runMetrics(run: FanoutRun, cores: number): RunMetrics | null {
  const { window, baseline } = run;
  if (window === null || window.latency === null || baseline === null) return null;
  const expected = window.stream.deltas * run.clients;
  const mibPerSecond = window.counts.bytes / window.seconds / MIB;
  const averageMessageBytes = window.counts.messages === 0 ? 0 : window.counts.bytes / window.counts.messages;
  const known = window.server.cpuPercent + window.generatorsCpuPercent + (window.feedCpuPercent ?? 0) + window.redisCpuPercent;
  return {
    p50Ms: window.latency.p50,
    p99Ms: window.latency.p99,
    maxMs: window.latency.max,
    delivered: expected === 0 ? 0 : window.counts.deltas / expected,
    serverCpuPercent: window.server.cpuPercent,
    rssMiB: window.server.end.rssBytes / MIB,
    rssPerConnectionKiB: (window.server.end.rssBytes - baseline.rssBytes) / run.clients / KIB,
    heapPerConnectionKiB: (window.server.end.heapUsedBytes - baseline.heapUsedBytes) / run.clients / KIB,
    loopDelayP99Ms: window.server.loopDelayP99Ms,
    messagesPerSecond: window.counts.messages / window.seconds,
    mibPerSecond,
    demandMiBPerSecond: ((window.stream.deltas / window.seconds) * run.clients * averageMessageBytes) / MIB,
    cpuMsPerMiB: mibPerSecond === 0 ? 0 : (window.server.cpuPercent * 10) / mibPerSecond,
    averageMessageKiB: averageMessageBytes / KIB,
    generatorsCpuPercent: window.generatorsCpuPercent,
    feedCpuPercent: window.feedCpuPercent ?? 0,
    redisCpuPercent: window.redisCpuPercent,
    otherCpuPercent: Math.max(0, (window.machineBusyPercent * cores) - known),
    machineBusyPercent: window.machineBusyPercent,
    feedDelayP50Ms: window.stream.feedDelay?.p50 ?? 0,
    feedDelayP99Ms: window.stream.feedDelay?.p99 ?? 0,
    snapshotsInWindow: window.counts.snapshots,
    gaps: window.counts.gaps,
  };
}

/** Heap and RSS growth per idle connection (connected, not subscribed, after gc), bytes. Null before the idle reading. */
export function idleBytesPerConnection(run: FanoutRun): { heap: number; rss: number } | null {
  if (run.baseline === null || run.idle === null) return null;
  return {
    heap: (run.idle.heapUsedBytes - run.baseline.heapUsedBytes) / run.clients,
    rss: (run.idle.rssBytes - run.baseline.rssBytes) / run.clients,
  };
}

/** The spread of one metric over the runs that have it (null when none has). */
export function metricSpread<T>(items: readonly T[], pick: (item: T) => number | null | undefined): Spread | null {
  const values = items.map(pick).filter((value): value is number => value !== null && value !== undefined);
  return values.length === 0 ? null : spread(values);
}

export type StopVerdict = { readonly stop: false } | { readonly stop: true; readonly reason: string };

/** Whether a server is past what it sustains at this size (then larger sizes are not run for it). */
export function overloadVerdict(runs: readonly FanoutRun[], plan: FanoutPlan, cores: number): StopVerdict {
  if (runs.length === 0) throw new BenchError('INVALID_ARGUMENT', 'no runs to judge');
  const failed = runs.filter((run) => run.failure !== null);
  if (failed.length * 2 >= runs.length) {
    return { stop: true, reason: `${failed.length} of ${runs.length} runs failed: ${failed[0]?.failure}` };
  }
  const metrics = runs.map((run) => runMetrics(run, cores)).filter((m): m is RunMetrics => m !== null);
  const p99 = metricSpread(metrics, (m) => m.p99Ms);
  const delivered = metricSpread(metrics, (m) => m.delivered);
  if (p99 === null || delivered === null) return { stop: true, reason: 'no run measured any latency' };
  if (p99.median > plan.overload.maxP99Ms) {
    return { stop: true, reason: `median p99 ${Math.round(p99.median)} ms is over ${plan.overload.maxP99Ms} ms: it does not keep up` };
  }
  if (delivered.median < plan.overload.minDeliveredRatio) {
    return {
      stop: true,
      reason: `it delivered ${(100 * delivered.median).toFixed(0)} % of the deltas (under ${100 * plan.overload.minDeliveredRatio} %): it does not keep up`,
    };
  }
  return { stop: false };
}
