import { formatNumber, formatSpread } from '../report/format.js';
import type { BenchChart, BenchTable, TargetCheck } from '../report/results.js';
import { type Spread, ratioSpread } from '../report/stats.js';
import type { ProfileSummary } from './cpu-profile.js';
import { type RunMetrics, idleBytesPerConnection, metricSpread, runMetrics } from './fanout-metrics.js';
import type { FanoutPlan } from './fanout-plan.js';
import type { FanoutRun } from './fanout-run.js';
import { SERVER_KINDS, SERVER_LABELS, type ServerKind } from './server-process.js';

export interface StoppedServer {
  readonly kind: ServerKind;
  /** The last size it ran at. */
  readonly afterClients: number;
  readonly reason: string;
}

export interface FanoutOutcome {
  readonly plan: FanoutPlan;
  readonly cores: number;
  readonly runs: readonly FanoutRun[];
  readonly stopped: readonly StoppedServer[];
  /** CPU profiles over a window, taken when a target is missed (websocket-server, and socket.io beside it). */
  readonly profiles: readonly ServerProfile[];
}

export interface ServerProfile {
  readonly kind: ServerKind;
  readonly clients: number;
  readonly summary: ProfileSummary;
}

export interface FanoutReport {
  readonly tables: BenchTable[];
  readonly charts: BenchChart[];
  readonly targets: TargetCheck[];
  readonly notes: string[];
}

/** The issue's reference load for the latency target. */
export const TARGET_CLIENTS = 5_000;
export const TARGET_P99_MS = 100;
/** "10 KB", read strictly as 10,000 bytes. */
export const TARGET_IDLE_HEAP_BYTES = 10_000;

const dash = '–';
const show = (value: Spread | null, decimals = 0) => (value === null ? dash : formatSpread(value, decimals));
const percentText = (value: Spread | null) => (value === null ? dash : `${formatSpread(value, 1)} %`);
const clientsLabel = (clients: number) => `${formatNumber(clients)} clients`;

interface Group {
  readonly kind: ServerKind;
  readonly clients: number;
  readonly runs: readonly FanoutRun[];
  readonly metrics: readonly RunMetrics[];
}

function groupsOf(outcome: FanoutOutcome): Group[] {
  const groups: Group[] = [];
  for (const clients of outcome.plan.sizes) {
    for (const kind of SERVER_KINDS) {
      const runs = outcome.runs.filter((run) => run.kind === kind && run.clients === clients);
      if (runs.length === 0) continue;
      const metrics = runs.map((run) => runMetrics(run, outcome.cores)).filter((m): m is RunMetrics => m !== null);
      groups.push({ kind, clients, runs, metrics });
    }
  }
  return groups;
}

function find(groups: readonly Group[], kind: ServerKind, clients: number): Group | undefined {
  return groups.find((g) => g.kind === kind && g.clients === clients);
}

/** p99 of `other` over ours, per repetition where both completed. */
function p99Ratio(outcome: FanoutOutcome, other: ServerKind, clients: number): Spread | null {
  const numerators: number[] = [];
  const denominators: number[] = [];
  for (let repetition = 0; repetition < outcome.plan.repetitions; repetition += 1) {
    const at = (kind: ServerKind) => {
      const run = outcome.runs.find((r) => r.kind === kind && r.clients === clients && r.repetition === repetition);
      return run === undefined ? null : runMetrics(run, outcome.cores);
    };
    const ours = at('ours');
    const theirs = at(other);
    if (ours === null || theirs === null || ours.p99Ms === 0) continue;
    numerators.push(theirs.p99Ms);
    denominators.push(ours.p99Ms);
  }
  return numerators.length === 0 ? null : ratioSpread(numerators, denominators);
}

/** The largest size at which a server's median p99 stayed within the target. */
function capacityAt(groups: readonly Group[], kind: ServerKind, maxP99Ms: number): number {
  let best = 0;
  for (const group of groups) {
    if (group.kind !== kind) continue;
    const p99 = metricSpread(group.metrics, (m) => m.p99Ms);
    if (p99 !== null && p99.median <= maxP99Ms && group.metrics.length * 2 > group.runs.length) best = Math.max(best, group.clients);
  }
  return best;
}

function tables(outcome: FanoutOutcome, groups: readonly Group[]): BenchTable[] {
  const runsOk = (g: Group) => `${g.metrics.length}/${g.runs.length}`;
  const latency: BenchTable = {
    title: 'Fan-out: delivery latency, producer timestamp to client receipt (ms), median (min–max) of the runs',
    columns: ['server', 'clients', 'runs ok', 'p50', 'p99', 'max', 'deltas received / written', "feed's own delay p50 / p99"],
    rows: groups.map((g) => [
      SERVER_LABELS[g.kind],
      formatNumber(g.clients),
      runsOk(g),
      show(metricSpread(g.metrics, (m) => m.p50Ms)),
      show(metricSpread(g.metrics, (m) => m.p99Ms)),
      show(metricSpread(g.metrics, (m) => m.maxMs)),
      percentText(metricSpread(g.metrics, (m) => 100 * m.delivered)),
      `${show(metricSpread(g.metrics, (m) => m.feedDelayP50Ms))} / ${show(metricSpread(g.metrics, (m) => m.feedDelayP99Ms))}`,
    ]),
  };
  const cost: BenchTable = {
    title: 'Fan-out: server cost in the steady-state window, median (min–max)',
    columns: ['server', 'clients', 'CPU (% of one core)', 'CPU ms per MiB sent', 'RSS MiB', 'RSS per connection KiB', 'heap per connection KiB', 'event-loop delay p99 ms', 'messages/s', 'MiB/s received (of MiB/s written × clients)'],
    rows: groups.map((g) => [
      SERVER_LABELS[g.kind],
      formatNumber(g.clients),
      show(metricSpread(g.metrics, (m) => m.serverCpuPercent)),
      show(metricSpread(g.metrics, (m) => m.cpuMsPerMiB), 1),
      show(metricSpread(g.metrics, (m) => m.rssMiB)),
      show(metricSpread(g.metrics, (m) => m.rssPerConnectionKiB), 1),
      show(metricSpread(g.metrics, (m) => m.heapPerConnectionKiB), 1),
      show(metricSpread(g.metrics, (m) => m.loopDelayP99Ms)),
      show(metricSpread(g.metrics, (m) => m.messagesPerSecond)),
      `${show(metricSpread(g.metrics, (m) => m.mibPerSecond), 1)} (${show(metricSpread(g.metrics, (m) => m.demandMiBPerSecond))})`,
    ]),
  };
  const idle: BenchTable = {
    title: 'Idle connections (connected, not subscribed), after gc: growth per connection over the server with none, bytes',
    columns: ['server', 'clients', 'heap per connection', 'RSS per connection'],
    rows: groups.map((g) => [
      SERVER_LABELS[g.kind],
      formatNumber(g.clients),
      show(metricSpread(g.runs, (r) => idleBytesPerConnection(r)?.heap)),
      show(metricSpread(g.runs, (r) => idleBytesPerConnection(r)?.rss)),
    ]),
  };
  const cpu: BenchTable = {
    title: `Where the machine's ${outcome.cores} cores went in the window (% of one core; ${100 * outcome.cores} = all), median`,
    columns: ['server', 'clients', 'server', 'load generators', 'feed', 'Redis', 'other processes', 'machine busy %'],
    rows: groups.map((g) => {
      const median = (pick: (m: RunMetrics) => number) => show(metricSpread(g.metrics, pick));
      return [
        SERVER_LABELS[g.kind],
        formatNumber(g.clients),
        median((m) => m.serverCpuPercent),
        median((m) => m.generatorsCpuPercent),
        median((m) => m.feedCpuPercent),
        median((m) => m.redisCpuPercent),
        median((m) => m.otherCpuPercent),
        median((m) => m.machineBusyPercent),
      ];
    }),
  };
  const ratioRows = outcome.plan.sizes
    .map((clients) => [formatNumber(clients), show(p99Ratio(outcome, 'socketio', clients), 2), show(p99Ratio(outcome, 'naive', clients), 2)])
    .filter((row) => row[1] !== dash || row[2] !== dash);
  const ratios: BenchTable = {
    title: 'p99 latency of each baseline over websocket-server, per repetition pair (same load, run side by side), median (min–max)',
    columns: ['clients', 'socket.io / websocket-server', 'naive ws / websocket-server'],
    rows: ratioRows,
  };
  const result = [latency, cost, idle, cpu, ratios];
  if (outcome.stopped.length > 0) {
    result.push({
      title: 'Where each server stopped (larger sizes were not run for it)',
      columns: ['server', 'last size run', 'why'],
      rows: outcome.stopped.map((s) => [SERVER_LABELS[s.kind], formatNumber(s.afterClients), s.reason]),
    });
  }
  for (const profile of outcome.profiles) {
    result.push({
      title: `CPU profile of ${SERVER_LABELS[profile.kind]} over a window at ${formatNumber(profile.clients)} clients: top functions by self time`,
      columns: ['function (location:line)', 'self ms', '% of busy time'],
      rows: profile.summary.top.map((f) => [f.frame, formatNumber(f.selfMs), formatNumber(f.percentOfBusy, 1)]),
    });
  }
  return result;
}

function charts(groups: readonly Group[]): BenchChart[] {
  const bars = (pick: (g: Group) => Spread | null) =>
    groups.flatMap((g) => {
      const value = pick(g);
      return value === null ? [] : [{ label: clientsLabel(g.clients), group: SERVER_LABELS[g.kind], median: value.median, min: value.min, max: value.max }];
    });
  return [
    { title: 'Fan-out: p99 delivery latency', unit: 'ms', bars: bars((g) => metricSpread(g.metrics, (m) => m.p99Ms)) },
    { title: 'Fan-out: server CPU in the steady state', unit: '% of one core', bars: bars((g) => metricSpread(g.metrics, (m) => m.serverCpuPercent)) },
    { title: 'Heap per idle connection', unit: 'bytes', bars: bars((g) => metricSpread(g.runs, (r) => idleBytesPerConnection(r)?.heap)) },
  ];
}

/** The measured facts behind a latency at a size: where the CPU went, the feed's share, the profile. */
function latencyExplanation(outcome: FanoutOutcome, group: Group | undefined): string {
  if (group === undefined || group.metrics.length === 0) {
    const stopped = outcome.stopped.find((s) => s.kind === 'ours');
    return stopped === undefined
      ? 'websocket-server has no completed run at this size.'
      : `websocket-server was not run at this size: at ${formatNumber(stopped.afterClients)} clients ${stopped.reason}.`;
  }
  const median = (pick: (m: RunMetrics) => number) => metricSpread(group.metrics, pick)?.median ?? 0;
  const parts = [
    `In the window the machine was ${median((m) => m.machineBusyPercent).toFixed(0)} % busy (${outcome.cores} cores): websocket-server used ${median((m) => m.serverCpuPercent).toFixed(0)} % of one core, the load generators ${median((m) => m.generatorsCpuPercent).toFixed(0)} %, the feed ${median((m) => m.feedCpuPercent).toFixed(0)} %, Redis ${median((m) => m.redisCpuPercent).toFixed(0)} %, other processes on the machine ${median((m) => m.otherCpuPercent).toFixed(0)} %.`,
    `Upstream writes its 11 updates of a tick at once (${median((m) => m.averageMessageKiB).toFixed(1)} KiB per message on average), so every second a burst of ${formatNumber(median((m) => m.demandMiBPerSecond))} MiB has to go from the server to the ${formatNumber(group.clients)} clients over loopback TCP, on the same cores; the clients received ${formatNumber(median((m) => m.mibPerSecond))} MiB/s (${formatNumber(median((m) => m.messagesPerSecond))} messages/s, ${(100 * median((m) => m.delivered)).toFixed(1)} % of the deltas written in the window).`,
    `The feed's own delay (tick instant to XADD), part of every latency, was p50 ${median((m) => m.feedDelayP50Ms).toFixed(0)} ms / p99 ${median((m) => m.feedDelayP99Ms).toFixed(0)} ms; the server's event-loop delay p99 was ${median((m) => m.loopDelayP99Ms).toFixed(0)} ms.`,
  ];
  if (median((m) => m.loopDelayP99Ms) > 1_000) {
    parts.push(
      `An event-loop delay of seconds means the loop was held that long by one run of code: when websocket-server is behind, its stream reader applies a whole XREAD reply (up to STREAM_READ_COUNT, 500 entries) with every send of every entry before the loop turns again, so no socket drains meanwhile.`,
    );
  }
  if (median((m) => m.generatorsCpuPercent) > median((m) => m.serverCpuPercent)) {
    parts.push('The load generators needed more CPU than the server: on this machine the clients share the cores with the server they measure.');
  }
  for (const profile of outcome.profiles) {
    const top = profile.summary.top.slice(0, 4).map((f) => `${f.frame} ${f.percentOfBusy.toFixed(1)} %`);
    parts.push(`${SERVER_LABELS[profile.kind]} profile at ${formatNumber(profile.clients)} clients, top self time: ${top.join('; ')}.`);
  }
  parts.push(
    'What would help: fewer bytes per update (about half of the 100 rows of each list change every second in this market, and each changed row is sent whole), more cores or more nodes (each node reads the stream on its own, so nodes add up), and load generators on another machine.',
  );
  return parts.join(' ');
}

/**
 * A comparison won only where both servers are past the p99 target says little about the load either
 * sustains: said so, with the ratios where websocket-server was within its target or closest to it.
 */
function overloadCaveat(groups: readonly Group[], reference: { clients: number; ratio: Spread } | undefined, byHalfP99: boolean): string | null {
  if (!byHalfP99 || reference === undefined) return null;
  const ours = metricSpread(find(groups, 'ours', reference.clients)?.metrics ?? [], (m) => m.p99Ms);
  const theirs = metricSpread(find(groups, 'socketio', reference.clients)?.metrics ?? [], (m) => m.p99Ms);
  if (ours === null || theirs === null || ours.median <= TARGET_P99_MS) return null;
  const smaller = groups
    .filter((g) => g.kind === 'ours' && g.clients < reference.clients)
    .map((g) => ({ clients: g.clients, ours: metricSpread(g.metrics, (m) => m.p99Ms), theirs: metricSpread(find(groups, 'socketio', g.clients)?.metrics ?? [], (m) => m.p99Ms) }))
    .flatMap(({ clients, ours: o, theirs: t }) =>
      o === null || t === null ? [] : [`at ${formatNumber(clients)} clients websocket-server ${formatNumber(o.median)} ms against socket.io ${formatNumber(t.median)} ms`],
    );
  return `Met only under overload: at ${formatNumber(reference.clients)} clients neither server keeps up on this machine (median p99 websocket-server ${formatNumber(ours.median)} ms, socket.io ${formatNumber(theirs.median)} ms)${smaller.length === 0 ? '' : `; at a load both carry, p99 ${smaller.join(', ')}`}.`;
}

function targets(outcome: FanoutOutcome, groups: readonly Group[]): TargetCheck[] {
  const at5k = find(groups, 'ours', TARGET_CLIENTS);
  const p99 = at5k === undefined ? null : metricSpread(at5k.metrics, (m) => m.p99Ms);
  const p99Met = p99 !== null && p99.median <= TARGET_P99_MS;
  const latencyTarget: TargetCheck = {
    target: `p99 delivery latency <= ${TARGET_P99_MS} ms at ${formatNumber(TARGET_CLIENTS)} clients (websocket-server)`,
    measured: p99 === null ? 'not measured (see explanation)' : `p99 ${show(p99)} ms at ${formatNumber(TARGET_CLIENTS)} clients`,
    met: p99Met,
    explanation: p99Met ? null : latencyExplanation(outcome, at5k),
  };

  const ratios = outcome.plan.sizes
    .map((clients) => ({ clients, ratio: p99Ratio(outcome, 'socketio', clients) }))
    .filter((r): r is { clients: number; ratio: Spread } => r.ratio !== null);
  const oursCapacity = capacityAt(groups, 'ours', TARGET_P99_MS);
  const theirCapacity = capacityAt(groups, 'socketio', TARGET_P99_MS);
  const atReference = ratios.find((r) => r.clients === TARGET_CLIENTS) ?? ratios.at(-1);
  const halfP99 = atReference !== undefined && atReference.ratio.median >= 2;
  const doubleCapacity = oursCapacity > 0 && oursCapacity >= 2 * theirCapacity;
  const ratioText = ratios.map((r) => `${formatNumber(r.clients)} clients: socket.io p99 / ours ${show(r.ratio, 2)}`).join('; ');
  const capacityText = `largest size with p99 <= ${TARGET_P99_MS} ms: websocket-server ${oursCapacity === 0 ? 'none' : formatNumber(oursCapacity)}, socket.io ${theirCapacity === 0 ? 'none' : formatNumber(theirCapacity)}`;
  const socketIoStop = outcome.stopped.find((s) => s.kind === 'socketio');
  const comparisonMet = halfP99 || doubleCapacity;
  const comparisonTarget: TargetCheck = {
    target: "at least 2x socket.io's client count at the same p99, or half its p99 at the same load",
    measured: `${ratioText === '' ? 'no side-by-side pair completed' : ratioText}; ${capacityText}${socketIoStop === undefined ? '' : `; socket.io stopped after ${formatNumber(socketIoStop.afterClients)} clients (${socketIoStop.reason})`}`,
    met: comparisonMet,
    explanation: comparisonMet
      ? overloadCaveat(groups, atReference, halfP99 && !doubleCapacity)
      : `Neither holds on this machine. ${latencyExplanation(outcome, atReference === undefined ? undefined : find(groups, 'ours', atReference.clients))}`,
  };

  const idleGroups = groups.filter((g) => g.kind === 'ours');
  const idle = idleGroups
    .map((g) => ({ clients: g.clients, heap: metricSpread(g.runs, (r) => idleBytesPerConnection(r)?.heap) }))
    .filter((r): r is { clients: number; heap: Spread } => r.heap !== null);
  const idleMet = idle.length > 0 && idle.every((r) => r.heap.median <= TARGET_IDLE_HEAP_BYTES);
  const heapTarget: TargetCheck = {
    target: `<= 10 KB (${formatNumber(TARGET_IDLE_HEAP_BYTES)} bytes) heap per idle connection (websocket-server)`,
    measured: idle.length === 0 ? 'not measured' : idle.map((r) => `${formatNumber(r.clients)} idle: ${show(r.heap)} bytes`).join('; '),
    met: idleMet,
    explanation: idleMet
      ? null
      : 'Heap after gc with N connected, unsubscribed clients minus the heap with none, over N; per connection the server holds its ws socket, a ClientConnection with its Subscriptions, rate-limit and slow-consumer state, and a pino child logger.',
  };
  return [latencyTarget, comparisonTarget, heapTarget];
}

function notes(outcome: FanoutOutcome): string[] {
  const { plan } = outcome;
  const checked = outcome.runs.reduce((sum, r) => sum + (r.window?.counts.crossChecked ?? 0), 0);
  const mismatches = outcome.runs.reduce((sum, r) => sum + (r.window?.counts.crossCheckMismatches ?? 0), 0);
  const negative = outcome.runs.reduce((sum, r) => sum + (r.window?.negativeLatencies ?? 0), 0);
  const gaps = outcome.runs.reduce((sum, r) => sum + (r.window?.counts.gaps ?? 0), 0);
  const snapshots = outcome.runs.filter((r) => r.kind === 'ours').reduce((sum, r) => sum + (r.window?.counts.snapshots ?? 0), 0);
  const lagging = outcome.runs.reduce((sum, r) => sum + (r.window?.slowConsumer?.['lagging'] ?? 0), 0);
  return [
    `Load: apps/scanner-feed in its own process at one update per list per second (--cadence-ms 1000): 11 lists of 100 rows from a 600-ticker synthetic market, each delta about 18 KB; every client subscribes to all 11 lists. ${plan.generators} load-generator processes hold the clients, at nice 10 so that they yield the cores to the server under test (they stand in for browsers on other machines); each server runs alone, in its own process, with a fresh start per run; Redis is the local one, with a random key prefix per invocation.`,
    `Each run: server start, N idle connections (idle heap after ${plan.timings.settleMs / 1000} s and gc), then all 11 subscriptions and their snapshots, ${plan.timings.warmupMs / 1000} s warm-up, then a ${plan.timings.windowMs / 1000} s steady-state window measured. ${plan.repetitions} repetition${plan.repetitions === 1 ? '' : 's'} per size, the servers interleaved (websocket-server, socket.io, naive, websocket-server, ...); after a failed run a server's remaining repetitions at that size are skipped, and a server that failed or did not keep up (median p99 over ${formatNumber(plan.overload.maxP99Ms)} ms, or under ${100 * plan.overload.minDeliveredRatio} % of the deltas received) is not run at larger sizes.`,
    'Latency: the client receipt time (Date.now()) minus the delta\'s `timestamp` (the feed\'s tick instant), both on the same machine clock, in whole milliseconds; it therefore includes the feed\'s own ranking and write time, shown beside it. Counted for every delta every client received in the window.',
    `The clients read type, list and sequence from the head of each frame and the timestamp from its end instead of parsing ~18 KB of JSON per message (the same for all three servers; socket.io's frames are read over a plain WebSocket speaking the engine.io/socket.io protocol): ${formatNumber(checked)} frames were also fully parsed and compared, ${mismatches} disagreed. ${negative} negative latencies. ${gaps} sequence gaps seen by clients; websocket-server sent ${snapshots} snapshots in windows (slow-consumer recoveries) and marked ${lagging} clients lagging.`,
    'websocket-server runs its built JS (`node apps/websocket-server/dist/main.js`) with LOG_LEVEL=warn and MAX_CONNECTIONS=50000, every other limit at its default; the baselines run through the tsx loader. A probe loaded with `node --import` reports CPU (process.cpuUsage), RSS, heapUsed and event-loop delay (perf_hooks.monitorEventLoopDelay) over IPC; the servers run with --expose-gc so idle heap is read after gc().',
    'The other processes column is CPU the machine spent outside the benchmark\'s own processes (the server, load generators, feed, Redis); this machine is shared, and its load varies between runs.',
  ];
}

export function fanoutReport(outcome: FanoutOutcome): FanoutReport {
  const groups = groupsOf(outcome);
  return { tables: tables(outcome, groups), charts: charts(groups), targets: targets(outcome, groups), notes: notes(outcome) };
}
