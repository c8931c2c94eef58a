import { benchLog } from '../report/bench-log.js';
import { percentile } from '../report/stats.js';
import { type GeneratorPool, shares } from './load/generator-pool.js';
import { countersBy } from './prometheus-text.js';
import { CategoryReadMonitor } from './redis-monitor.js';
import { ServerProcess } from './server-process.js';

export interface StormContext {
  readonly pool: GeneratorPool;
  readonly prefix: string;
  readonly port: number;
  readonly probePath: string;
  readonly logPath: string;
  readonly clients: number;
  readonly connectTimeoutMs: number;
  readonly stormTimeoutMs: number;
  /** A refused client tries again after this (times 0.5-1.5, so retries do not stay in lockstep). */
  readonly retryDelayMs: number;
}

export interface StormRun {
  readonly repetition: number;
  readonly failure: string | null;
  /** SIGTERM to the old server until the new one answers /readyz. */
  readonly restartMs: number | null;
  /** From the reconnect signal until the last client holds all 11 snapshots. */
  readonly allSnapshotsMs: number | null;
  readonly snapshotsP50Ms: number | null;
  readonly snapshotsP99Ms: number | null;
  /** From the reconnect signal until the last handshake completed. */
  readonly allConnectedMs: number | null;
  readonly attempts: number;
  readonly failedAttempts: number;
  /** GET/MGET commands reading category keys from the new server's start to the storm's end, and lists read. */
  readonly categoryReadCommands: number;
  readonly categoryListReads: number;
  readonly listsRead: number;
  readonly maxReadsOfOneList: number;
  /** websocket-server's own counters after the storm. */
  readonly listLoads: Readonly<Record<string, number>>;
  readonly snapshotSources: Readonly<Record<string, number>>;
}

class StormFailed extends Error {}

/**
 * One storm: `clients` clients hold all 11 snapshots of a running websocket-server; it is restarted
 * (SIGTERM: every client is closed with 1001; a new process on the same port); once it is ready, every
 * client reconnects at once and subscribes to all 11 lists again, and the time until the last one holds
 * all its snapshots is measured, with every Redis read of the category keys counted meanwhile.
 */
export async function runStorm(context: StormContext, repetition: number): Promise<StormRun> {
  const { pool } = context;
  const serverOptions = { kind: 'ours' as const, port: context.port, prefix: context.prefix, probePath: context.probePath, logPath: context.logPath };
  let server = await ServerProcess.start(serverOptions);
  let monitor: CategoryReadMonitor | null = null;
  const result = {
    repetition,
    failure: null as string | null,
    restartMs: null as number | null,
    allSnapshotsMs: null as number | null,
    snapshotsP50Ms: null as number | null,
    snapshotsP99Ms: null as number | null,
    allConnectedMs: null as number | null,
    attempts: 0,
    failedAttempts: 0,
    categoryReadCommands: 0,
    categoryListReads: 0,
    listsRead: 0,
    maxReadsOfOneList: 0,
    listLoads: {} as Record<string, number>,
    snapshotSources: {} as Record<string, number>,
  };
  try {
    const split = shares(context.clients, pool.size);
    const connected = await pool.each('connect', (i) => ({
      baseUrl: server.baseUrl,
      protocol: 'scanner' as const,
      count: split[i] ?? 0,
      concurrency: 64,
      subscribe: false,
      timeoutMs: context.connectTimeoutMs,
    }));
    const failed = connected.reduce((sum, r) => sum + r.failed, 0);
    if (failed > 0) throw new StormFailed(`${failed} clients could not connect before the restart`);
    const subscribed = await pool.all('subscribe', { timeoutMs: context.connectTimeoutMs });
    if (subscribed.some((r) => r.timedOut)) throw new StormFailed('not every client held its snapshots before the restart');

    const stopAt = Date.now();
    await server.stop();
    const open = await pool.all('await-closed', { timeoutMs: 10_000 });
    if (open.some((r) => r.open > 0)) throw new StormFailed('clients still open after the server stopped');
    monitor = await CategoryReadMonitor.start(context.prefix);
    server = await ServerProcess.start(serverOptions);
    result.restartMs = Date.now() - stopAt;

    const signalAt = Date.now();
    const storms = await pool.all('storm', { timeoutMs: context.stormTimeoutMs, retryDelayMs: context.retryDelayMs });
    monitor.stop();
    const readyAt = storms.flatMap((s) => s.readyAt);
    const connectedAt = storms.flatMap((s) => s.connectedAt);
    result.attempts = storms.reduce((sum, s) => sum + s.attempts, 0);
    result.failedAttempts = storms.reduce((sum, s) => sum + s.failedAttempts, 0);
    const { tally } = monitor;
    result.categoryReadCommands = tally.commands;
    result.categoryListReads = tally.listReads;
    result.listsRead = tally.byList().size;
    result.maxReadsOfOneList = Math.max(0, ...tally.byList().values());
    const metrics = await server.metricsText();
    result.listLoads = countersBy(metrics, 'scanner_ws_list_loads_total', ['reason', 'outcome']);
    result.snapshotSources = countersBy(metrics, 'scanner_ws_snapshot_source_total', ['source']);
    if (readyAt.length > 0) {
      const delays = readyAt.map((at) => at - signalAt);
      result.allSnapshotsMs = Math.max(...delays);
      result.snapshotsP50Ms = percentile(delays, 50);
      result.snapshotsP99Ms = percentile(delays, 99);
    }
    if (connectedAt.length > 0) result.allConnectedMs = Math.max(...connectedAt) - signalAt;
    if (readyAt.length < context.clients) {
      throw new StormFailed(`only ${readyAt.length} of ${context.clients} clients held all 11 snapshots within ${context.stormTimeoutMs} ms`);
    }
    benchLog('storm_done', {
      repetition,
      restart_ms: result.restartMs,
      all_snapshots_ms: result.allSnapshotsMs,
      p99_ms: result.snapshotsP99Ms,
      category_reads: result.categoryListReads,
      failed_attempts: result.failedAttempts,
    });
  } catch (error) {
    if (!(error instanceof StormFailed)) throw error;
    result.failure = error.message;
    benchLog('storm_failed', { repetition, failure: error.message });
  } finally {
    monitor?.stop();
    await pool.all('close-all', { timeoutMs: 10_000 });
    await server.stop();
  }
  return result;
}
