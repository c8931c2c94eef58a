import type { Redis } from 'ioredis';
import { benchLog } from '../report/bench-log.js';
import { redisCpuSeconds } from './bench-redis.js';
import { type LatencySummary, summarizeLatency } from './latency-histogram.js';
import { type WindowCounts, mergeWindowReports } from './load/delivery-stats.js';
import { type GeneratorPool, shares } from './load/generator-pool.js';
import type { WireProtocol } from './load/load-client.js';
import { machineBusyPercent, machineCpu, processCpuSeconds } from './proc-cpu.js';
import { countersBy } from './prometheus-text.js';
import type { ProbeSample } from './probe/probe-messages.js';
import { SERVER_LABELS, type ServerKind, ServerProcess } from './server-process.js';
import type { StreamWatch, StreamWindow } from './stream-watch.js';

export interface FanoutTimings {
  /** After the idle clients connected, before the idle heap is read. */
  readonly settleMs: number;
  /** After every client holds its snapshots, before the window. */
  readonly warmupMs: number;
  readonly windowMs: number;
  /**
   * Longest wait for all clients to connect, and again to hold all their snapshots: this plus so much
   * per client (a server that cannot take the load is given up on instead of waited for).
   */
  readonly connectTimeoutMs: number;
  readonly connectTimeoutPerClientMs: number;
}

export interface FanoutContext {
  readonly pool: GeneratorPool;
  readonly redis: Redis;
  readonly streamWatch: StreamWatch;
  readonly feedPid: number | null;
  readonly prefix: string;
  readonly port: number;
  readonly probePath: string;
  readonly logPath: string;
  readonly timings: FanoutTimings;
  /** A server whose RSS passes this is stopped: the run is reported as failed, the machine keeps its memory. */
  readonly rssLimitBytes: number;
  /** Set: a CPU profile of the server over the window is written there. */
  readonly profilePath?: string;
  /** Extra server environment, for diagnostic variants of a setting. */
  readonly serverEnv?: Readonly<Record<string, string>>;
}

export interface MemoryReading {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

export interface FanoutWindow {
  readonly seconds: number;
  readonly latency: LatencySummary | null;
  readonly counts: WindowCounts;
  readonly negativeLatencies: number;
  readonly server: {
    readonly cpuPercent: number;
    readonly end: MemoryReading;
    readonly maxRssBytes: number;
    readonly loopDelayP99Ms: number;
    readonly loopDelayMaxMs: number;
  };
  /** Percent of one core, summed over processes (200 = both cores). */
  readonly generatorsCpuPercent: number;
  readonly feedCpuPercent: number | null;
  readonly redisCpuPercent: number;
  readonly machineBusyPercent: number;
  readonly stream: StreamWindow;
  /** websocket-server's slow-consumer counters (Prometheus), null for the baselines. */
  readonly slowConsumer: Readonly<Record<string, number>> | null;
}

export interface FanoutRun {
  readonly kind: ServerKind;
  readonly clients: number;
  readonly repetition: number;
  /** null when the run completed; else why it stopped (the numbers it has are partial). */
  readonly failure: string | null;
  readonly connectSeconds: number | null;
  readonly subscribeSeconds: number | null;
  readonly baseline: MemoryReading | null;
  readonly idle: MemoryReading | null;
  readonly window: FanoutWindow | null;
}

const PROTOCOL: Readonly<Record<ServerKind, WireProtocol>> = { ours: 'scanner', socketio: 'socketio', naive: 'scanner' };
const CONNECT_CONCURRENCY = 64;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function memoryOf(sample: ProbeSample): MemoryReading {
  return { rssBytes: sample.rssBytes, heapUsedBytes: sample.heapUsedBytes };
}

/** Percent of one core the server used between two probe samples, by the probe's clock. */
export function cpuPercent(from: ProbeSample, to: ProbeSample): number {
  const cpuMicros = to.cpuUserMicros + to.cpuSystemMicros - from.cpuUserMicros - from.cpuSystemMicros;
  const wallMs = to.at - from.at;
  return wallMs <= 0 ? 0 : cpuMicros / 10 / wallMs;
}

class RunFailed extends Error {}

/**
 * One measured run: a fresh server, `clients` idle connections (idle heap), then every client
 * subscribed to all 11 lists, a warm-up, and the steady-state window.
 */
export async function runFanout(context: FanoutContext, kind: ServerKind, clients: number, repetition: number): Promise<FanoutRun> {
  const { pool, timings } = context;
  const label = `${SERVER_LABELS[kind]} x ${clients}`;
  let connectSeconds: number | null = null;
  let subscribeSeconds: number | null = null;
  let baseline: MemoryReading | null = null;
  let idle: MemoryReading | null = null;
  let window: FanoutWindow | null = null;
  let failure: string | null = null;
  let maxRss = 0;
  const server = await ServerProcess.start({
    kind,
    port: context.port,
    prefix: context.prefix,
    probePath: context.probePath,
    logPath: context.logPath,
    ...(context.serverEnv === undefined ? {} : { extraEnv: context.serverEnv }),
  });
  // Polls the server's memory throughout; past the limit the server is killed and the run fails.
  let guardFailure: string | null = null;
  const guard = setInterval(() => {
    server.sample().then(
      (sample) => {
        maxRss = Math.max(maxRss, sample.rssBytes);
        if (sample.rssBytes > context.rssLimitBytes && guardFailure === null) {
          guardFailure = `RSS passed ${Math.round(context.rssLimitBytes / 2 ** 20)} MiB; the server was stopped`;
          void server.kill();
        }
      },
      () => undefined,
    );
  }, 1_000);
  const check = () => {
    if (guardFailure !== null) throw new RunFailed(guardFailure);
    if (!server.running) throw new RunFailed(`${SERVER_LABELS[kind]} exited; see ${context.logPath}`);
  };
  try {
    const timeoutMs = timings.connectTimeoutMs + timings.connectTimeoutPerClientMs * clients;
    baseline = memoryOf(await server.sample({ gc: true }));
    const split = shares(clients, pool.size);
    let started = Date.now();
    const connected = await pool.each('connect', (i) => ({
      baseUrl: server.baseUrl,
      protocol: PROTOCOL[kind],
      count: split[i] ?? 0,
      concurrency: CONNECT_CONCURRENCY,
      subscribe: false,
      timeoutMs,
    }));
    connectSeconds = (Date.now() - started) / 1000;
    const failed = connected.reduce((sum, r) => sum + r.failed, 0);
    if (failed > 0) throw new RunFailed(`${failed} of ${clients} clients could not connect (${connected.find((r) => r.firstError)?.firstError})`);
    check();
    await sleep(timings.settleMs);
    idle = memoryOf(await server.sample({ gc: true }));
    benchLog('fanout_idle', { run: label, repetition, heap_per_connection_bytes: Math.round((idle.heapUsedBytes - baseline.heapUsedBytes) / clients) });

    started = Date.now();
    const subscribed = await pool.all('subscribe', { timeoutMs });
    subscribeSeconds = (Date.now() - started) / 1000;
    const complete = subscribed.reduce((sum, r) => sum + r.complete, 0);
    check();
    if (complete < clients) throw new RunFailed(`only ${complete} of ${clients} clients got all 11 snapshots within ${timeoutMs / 1000} s`);
    await sleep(timings.warmupMs);
    check();

    const before = {
      server: await server.sample({ resetLoopDelay: true }),
      generators: await Promise.all(pool.pids().map(processCpuSeconds)),
      feed: context.feedPid === null ? null : await processCpuSeconds(context.feedPid),
      redis: await redisCpuSeconds(context.redis),
      machine: await machineCpu(),
      at: Date.now(),
    };
    if (context.profilePath !== undefined) await server.profileStart();
    context.streamWatch.startWindow();
    await pool.all('window-start', {});
    maxRss = 0;
    await sleep(timings.windowMs);
    const reports = await pool.all('window-end', {});
    const stream = context.streamWatch.endWindow();
    const seconds = (Date.now() - before.at) / 1000;
    if (context.profilePath !== undefined) await server.profileStop(context.profilePath);
    const end = await server.sample();
    check();
    const after = {
      feed: context.feedPid === null ? null : await processCpuSeconds(context.feedPid),
      redis: await redisCpuSeconds(context.redis),
      machine: await machineCpu(),
    };
    const merged = mergeWindowReports(reports.map((r) => r.report));
    const percentOf = (cpuSeconds: number) => (100 * cpuSeconds) / seconds;
    window = {
      seconds,
      latency: merged.latency.count === 0 ? null : summarizeLatency(merged.latency),
      counts: merged.counts,
      negativeLatencies: merged.latency.negative,
      server: {
        // By the probe's own clock: a saturated server answers the probe late, so the main's clock
        // would stretch or shrink the interval the CPU was spent in.
        cpuPercent: cpuPercent(before.server, end),
        end: memoryOf(end),
        maxRssBytes: Math.max(maxRss, end.rssBytes),
        loopDelayP99Ms: end.loopDelayP99Ms,
        loopDelayMaxMs: end.loopDelayMaxMs,
      },
      generatorsCpuPercent: reports.reduce((sum, r) => sum + (r.wallMs > 0 ? (100 * r.cpuMs) / r.wallMs : 0), 0),
      feedCpuPercent: after.feed === null || before.feed === null ? null : percentOf(after.feed - before.feed),
      redisCpuPercent: percentOf(after.redis - before.redis),
      machineBusyPercent: machineBusyPercent(before.machine, after.machine),
      stream,
      slowConsumer: kind === 'ours' ? countersBy(await server.metricsText(), 'scanner_ws_slow_consumer_actions_total', ['action']) : null,
    };
    benchLog('fanout_window', {
      run: label,
      repetition,
      connect_s: connectSeconds,
      subscribe_s: subscribeSeconds,
      p50_ms: window.latency?.p50,
      p99_ms: window.latency?.p99,
      max_ms: window.latency?.max,
      deltas: window.counts.deltas,
      expected: stream.deltas * clients,
      server_cpu_percent: Math.round(window.server.cpuPercent),
      generators_cpu_percent: Math.round(window.generatorsCpuPercent),
      machine_busy_percent: Math.round(window.machineBusyPercent),
    });
  } catch (error) {
    if (!(error instanceof RunFailed)) throw error;
    failure = error.message;
    benchLog('fanout_run_failed', { run: label, repetition, failure });
  } finally {
    clearInterval(guard);
    await pool.all('close-all', { timeoutMs: 10_000 });
    await server.stop();
  }
  return { kind, clients, repetition, failure, connectSeconds, subscribeSeconds, baseline, idle, window };
}
