/**
 * `npm run bench:fanout` (`--quick` for a smoke run): websocket-server, a socket.io 4.8 server and a
 * naive ws server under the same fan-out load, side by side; writes bench/results/fanout.json.
 */
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBenchArgs } from '../report/bench-args.js';
import { benchLog } from '../report/bench-log.js';
import { writeResult } from '../report/results.js';
import { interleaved } from '../report/schedule.js';
import { benchRedis } from './bench-redis.js';
import { runMain, withWsBench } from './bench-setup.js';
import { type CpuProfile, summarizeProfile } from './cpu-profile.js';
import { FeedProcess } from './feed-process.js';
import { overloadVerdict } from './fanout-metrics.js';
import { fanoutPlan } from './fanout-plan.js';
import { type FanoutContext, type FanoutRun, runFanout } from './fanout-run.js';
import { type ServerProfile, type StoppedServer, fanoutReport } from './fanout-summary.js';
import { GeneratorPool } from './load/generator-pool.js';
import { REPO_ROOT } from './node-args.js';
import { SERVER_KINDS, type ServerKind } from './server-process.js';
import { StreamWatch } from './stream-watch.js';

runMain(async () => {
  const { quick } = parseBenchArgs(process.argv.slice(2));
  const plan = fanoutPlan(quick);
  const startedAt = new Date();
  await withWsBench('fanout', async (env) => {
    const feed = await FeedProcess.start(env.redis, { prefix: env.prefix, cadenceMs: 1_000, seed: 1 });
    const streamWatch = new StreamWatch(benchRedis('stream-watch'), env.prefix);
    const pool = GeneratorPool.start(plan.generators);
    const context: FanoutContext = {
      pool,
      redis: env.redis,
      streamWatch,
      feedPid: feed.pid,
      prefix: env.prefix,
      port: env.port,
      probePath: env.probePath,
      logPath: env.logPath,
      timings: plan.timings,
      rssLimitBytes: plan.rssLimitBytes,
    };
    const runs: FanoutRun[] = [];
    const stopped: StoppedServer[] = [];
    const profiles: ServerProfile[] = [];
    try {
      let active: ServerKind[] = [...SERVER_KINDS];
      for (const clients of plan.sizes) {
        if (active.length === 0) break;
        // A server that failed a run at this size (it could not even take the load) is not given its
        // remaining repetitions there: each would only wait out the same timeout.
        const failedHere = new Set<ServerKind>();
        for (const { repetition, variant } of interleaved(active, plan.repetitions)) {
          if (failedHere.has(variant)) continue;
          const run = await runFanout(context, variant, clients, repetition);
          runs.push(run);
          if (run.failure !== null) failedHere.add(variant);
        }
        for (const kind of active) {
          const verdict = overloadVerdict(runs.filter((r) => r.kind === kind && r.clients === clients), plan, env.machine.cores);
          if (verdict.stop) {
            stopped.push({ kind, afterClients: clients, reason: verdict.reason });
            benchLog('fanout_server_stopped', { kind, clients, reason: verdict.reason });
          }
        }
        active = active.filter((kind) => !stopped.some((s) => s.kind === kind));
      }
      const draft = fanoutReport({ plan, cores: env.machine.cores, runs, stopped, profiles: [] });
      if (draft.targets.some((t) => !t.met)) {
        // A missed target is explained with CPU profiles over a window: at the reference load, and at the
        // largest load both websocket-server and socket.io carried, each beside the other.
        const completedAt = (kind: ServerKind, clients: number) => {
          const here = runs.filter((r) => r.kind === kind && r.clients === clients);
          return here.length > 0 && here.every((r) => r.failure === null);
        };
        const reference = Math.min(plan.profileClients, Math.max(...plan.sizes.slice(0, 1), ...runs.filter((r) => r.kind === 'ours').map((r) => r.clients)));
        const carried = plan.sizes.filter(
          (clients) => clients < reference && completedAt('ours', clients) && completedAt('socketio', clients) && !stopped.some((s) => s.afterClients === clients && s.kind !== 'naive'),
        );
        const sizes = [reference, ...carried.slice(-1)];
        for (const clients of sizes) {
          for (const kind of ['ours', 'socketio'] as const) {
            if (!completedAt(kind, clients)) continue;
            const path = join(tmpdir(), `bench-fanout-${kind}-${clients}-${Date.now()}.cpuprofile`);
            const run = await runFanout({ ...context, profilePath: path }, kind, clients, plan.repetitions);
            if (run.failure !== null) continue;
            profiles.push({ kind, clients, summary: summarizeProfile(JSON.parse(await readFile(path, 'utf8')) as CpuProfile, REPO_ROOT) });
            benchLog('fanout_profile_written', { kind, clients, path });
          }
        }
      }
    } finally {
      await pool.stop();
      await feed.stop();
      await streamWatch.stop();
    }
    const report = fanoutReport({ plan, cores: env.machine.cores, runs, stopped, profiles });
    const path = await writeResult({
      name: 'fanout',
      title: 'WebSocket fan-out: websocket-server vs socket.io 4.8 vs a naive ws server',
      command: quick ? 'npm run bench:fanout -- --quick' : 'npm run bench:fanout',
      machine: env.machine,
      startedAt: startedAt.toISOString(),
      durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      repetitions: plan.repetitions,
      ...report,
    });
    benchLog('fanout_written', { path });
    process.stdout.write(`${path}\n`);
  });
});
