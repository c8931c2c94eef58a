/**
 * `npm run bench:reconnect` (`--quick` for a smoke run): 5,000 clients reconnect at once after a
 * websocket-server restart, the scanner feed running; writes bench/results/reconnect.json.
 */
import { parseBenchArgs } from '../report/bench-args.js';
import { benchLog } from '../report/bench-log.js';
import { writeResult } from '../report/results.js';
import { formatNumber } from '../report/format.js';
import { runMain, withWsBench } from './bench-setup.js';
import { FeedProcess } from './feed-process.js';
import { GeneratorPool } from './load/generator-pool.js';
import { type StormRun, runStorm } from './reconnect-run.js';
import { stormReport } from './reconnect-summary.js';

runMain(async () => {
  const { quick } = parseBenchArgs(process.argv.slice(2));
  const clients = quick ? 500 : 5_000;
  const repetitions = quick ? 1 : 3;
  const startedAt = new Date();
  await withWsBench('reconnect', async (env) => {
    // The feed writes the lists, then stops: at 5,000 clients the live deltas alone are more than this
    // machine delivers (see the fan-out), and the storm would measure that overload, not the reconnect.
    const feed = await FeedProcess.start(env.redis, { prefix: env.prefix, cadenceMs: 1_000, seed: 1 });
    await feed.stop();
    const pool = GeneratorPool.start(quick ? 2 : 4);
    const runs: StormRun[] = [];
    try {
      for (let repetition = 0; repetition < repetitions; repetition += 1) {
        runs.push(
          await runStorm(
            {
              pool,
              prefix: env.prefix,
              port: env.port,
              probePath: env.probePath,
              logPath: env.logPath,
              clients,
              connectTimeoutMs: 120_000,
              stormTimeoutMs: 120_000,
              retryDelayMs: 250,
            },
            repetition,
          ),
        );
      }
    } finally {
      await pool.stop();
    }
    const path = await writeResult({
      name: 'reconnect',
      title: `Reconnect storm: ${formatNumber(clients)} clients after a websocket-server restart`,
      command: quick ? 'npm run bench:reconnect -- --quick' : 'npm run bench:reconnect',
      machine: env.machine,
      startedAt: startedAt.toISOString(),
      durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      repetitions,
      ...stormReport(runs, clients),
      notes: [
        `Each run: websocket-server (built JS, LOG_LEVEL=warn, limits at their defaults but MAX_CONNECTIONS=50000) with ${formatNumber(clients)} clients holding all 11 lists (100 rows each, up to about 32 KB per snapshot, written by apps/scanner-feed, which is then stopped: at this many clients its live deltas alone are more than this 2-core machine delivers, see the fan-out, and the storm would measure that overload instead of the reconnect); SIGTERM (every client closed with 1001), a new process on the same port, and once it answers /readyz every client reconnects at the same moment and subscribes to all 11 lists again (no resume, so each needs a snapshot of every list). A refused handshake is retried after 125-375 ms.`,
        'Redis reads are counted with MONITOR on a connection of the benchmark (every GET/MGET naming one of this run\'s scanner:category keys, from the new process\'s start to the last snapshot); MONITOR sees only what Redis executed, and the random key prefix keeps other users of the same Redis out of the count.',
        'Clients speak the protocol over ws, from 4 load-generator processes at nice 10 (they yield the cores to the server); a client counts as done when it holds a snapshot of all 11 lists.',
      ],
    });
    benchLog('reconnect_written', { path });
    process.stdout.write(`${path}\n`);
  });
});
