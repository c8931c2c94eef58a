/**
 * A quick side-by-side of websocket-server's stream reader, not a full benchmark: ONE fan-out point
 * (default 2,000 clients, a 60 s window), run with STREAM_YIELD_EVERY=1 (an event-loop turn after every
 * stream entry, the default) and with STREAM_YIELD_EVERY=100000 (no turn inside an XREAD reply: the
 * reader as it was before), interleaved. Prints one line per run and a median per variant; writes no
 * results file.
 *
 *   tsx --conditions=development bench/src/ws/reader-fairness-main.ts [clients] [window seconds] [repetitions]
 */
import { BenchError } from '../report/bench-error.js';
import { benchLog } from '../report/bench-log.js';
import { interleaved } from '../report/schedule.js';
import { benchRedis } from './bench-redis.js';
import { runMain, withWsBench } from './bench-setup.js';
import { FeedProcess } from './feed-process.js';
import { fanoutPlan } from './fanout-plan.js';
import { type FanoutContext, type FanoutRun, runFanout } from './fanout-run.js';
import { GeneratorPool } from './load/generator-pool.js';
import { StreamWatch } from './stream-watch.js';

const VARIANTS = [
  { name: 'turn after each entry', env: { STREAM_YIELD_EVERY: '1' } },
  { name: 'whole reply at once (before)', env: { STREAM_YIELD_EVERY: '100000' } },
] as const;

function positiveInt(raw: string | undefined, fallback: number, what: string): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new BenchError('INVALID_ARGUMENT', `${what} must be a positive integer, got ${raw}`);
  return value;
}

function median(values: readonly number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function lineOf(run: FanoutRun, variant: string): Record<string, unknown> {
  const w = run.window;
  return {
    variant,
    repetition: run.repetition,
    failure: run.failure,
    p50_ms: w?.latency?.p50 ?? null,
    p99_ms: w?.latency?.p99 ?? null,
    max_ms: w?.latency?.max ?? null,
    loop_delay_p99_ms: w === null ? null : Math.round(w.server.loopDelayP99Ms),
    loop_delay_max_ms: w === null ? null : Math.round(w.server.loopDelayMaxMs),
    delivered_percent: w === null || w.stream.deltas === 0 ? null : Math.round((1000 * w.counts.deltas) / (w.stream.deltas * run.clients)) / 10,
    gaps: w?.counts.gaps ?? null,
    server_cpu_percent: w === null ? null : Math.round(w.server.cpuPercent),
    machine_busy_percent: w === null ? null : Math.round(w.machineBusyPercent),
  };
}

runMain(async () => {
  const [clientsArg, windowArg, repetitionsArg, ...rest] = process.argv.slice(2);
  if (rest.length > 0) throw new BenchError('UNKNOWN_OPTION', `unexpected arguments ${rest.join(' ')} (expected [clients] [window seconds] [repetitions])`);
  const clients = positiveInt(clientsArg, 2_000, 'clients');
  const windowMs = 1_000 * positiveInt(windowArg, 60, 'window seconds');
  const repetitions = positiveInt(repetitionsArg, 2, 'repetitions');
  const plan = fanoutPlan(false);
  await withWsBench('reader-fairness', async (env) => {
    const feed = await FeedProcess.start(env.redis, { prefix: env.prefix, cadenceMs: 1_000, seed: 1 });
    const streamWatch = new StreamWatch(benchRedis('stream-watch'), env.prefix);
    const pool = GeneratorPool.start(plan.generators);
    const base: Omit<FanoutContext, 'serverEnv'> = {
      pool,
      redis: env.redis,
      streamWatch,
      feedPid: feed.pid,
      prefix: env.prefix,
      port: env.port,
      probePath: env.probePath,
      logPath: env.logPath,
      timings: { ...plan.timings, windowMs },
      rssLimitBytes: plan.rssLimitBytes,
    };
    const lines: Record<string, unknown>[] = [];
    try {
      for (const { repetition, variant } of interleaved(VARIANTS, repetitions)) {
        const run = await runFanout({ ...base, serverEnv: variant.env }, 'ours', clients, repetition);
        const line = lineOf(run, variant.name);
        lines.push(line);
        benchLog('reader_fairness_run', line);
      }
    } finally {
      await pool.stop();
      await feed.stop();
      await streamWatch.stop();
    }
    const summary = VARIANTS.map(({ name }) => {
      const mine = lines.filter((l) => l['variant'] === name && l['failure'] === null);
      const med = (field: string) => median(mine.map((l) => l[field]).filter((v): v is number => typeof v === 'number'));
      return {
        variant: name,
        runs_ok: `${mine.length}/${repetitions}`,
        p50_ms: med('p50_ms'),
        p99_ms: med('p99_ms'),
        loop_delay_p99_ms: med('loop_delay_p99_ms'),
        loop_delay_max_ms: med('loop_delay_max_ms'),
        delivered_percent: med('delivered_percent'),
        server_cpu_percent: med('server_cpu_percent'),
      };
    });
    process.stdout.write(`${JSON.stringify({ clients, window_s: windowMs / 1000, runs: lines, median: summary }, null, 2)}\n`);
  });
});
