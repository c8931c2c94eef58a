/**
 * `npm run bench:new-day` (`--quick` for a smoke run): 5,000 clients subscribed to every list, then
 * `PUBLISH trading:new_day`; latency to each client's `new_day`. Writes bench/results/new-day.json.
 */
import type { IsoDate } from '@scanner/market-calendar';
import { parseBenchArgs } from '../report/bench-args.js';
import { BenchError } from '../report/bench-error.js';
import { benchLog } from '../report/bench-log.js';
import { formatNumber } from '../report/format.js';
import { writeResult } from '../report/results.js';
import { runMain, withWsBench } from './bench-setup.js';
import { FeedProcess } from './feed-process.js';
import { GeneratorPool, shares } from './load/generator-pool.js';
import { type NewDayRound, runNewDayRound } from './new-day-run.js';
import { newDayReport } from './new-day-summary.js';
import { ServerProcess } from './server-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

runMain(async () => {
  const { quick } = parseBenchArgs(process.argv.slice(2));
  const clients = quick ? 500 : 5_000;
  const repetitions = quick ? 1 : 3;
  const startedAt = new Date();
  await withWsBench('new-day', async (env) => {
    // 03:00 New York: the lists of the day before are in Redis and nothing is writing them.
    const feed = await FeedProcess.start(env.redis, { prefix: env.prefix, cadenceMs: 1_000, seed: 1 });
    await feed.stop();
    const pool = GeneratorPool.start(quick ? 2 : 4);
    const server = await ServerProcess.start({ kind: 'ours', port: env.port, prefix: env.prefix, probePath: env.probePath, logPath: env.logPath });
    const rounds: NewDayRound[] = [];
    try {
      const split = shares(clients, pool.size);
      const connected = await pool.each('connect', (i) => ({
        baseUrl: server.baseUrl,
        protocol: 'scanner' as const,
        count: split[i] ?? 0,
        concurrency: 64,
        subscribe: false,
        timeoutMs: 120_000,
      }));
      const failed = connected.reduce((sum, r) => sum + r.failed, 0);
      if (failed > 0) throw new BenchError('RUN_FAILED', `${failed} of ${clients} clients could not connect`);
      const subscribed = await pool.all('subscribe', { timeoutMs: 120_000 });
      if (subscribed.some((r) => r.timedOut)) throw new BenchError('RUN_FAILED', 'not every client got its 11 snapshots');
      let day = (await server.readiness()).epoch as IsoDate | null;
      if (day === null) throw new BenchError('RUN_FAILED', 'websocket-server has no epoch');
      for (let repetition = 0; repetition < repetitions; repetition += 1) {
        await sleep(2_000);
        const round = await runNewDayRound(pool, env.redis, env.prefix, day, repetition);
        rounds.push(round);
        day = round.day;
      }
    } finally {
      await pool.all('close-all', { timeoutMs: 10_000 }).catch(() => undefined);
      await pool.stop();
      await server.stop();
    }
    const path = await writeResult({
      name: 'new-day',
      title: `New-day propagation to ${formatNumber(clients)} clients`,
      command: quick ? 'npm run bench:new-day -- --quick' : 'npm run bench:new-day',
      machine: env.machine,
      startedAt: startedAt.toISOString(),
      durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      repetitions,
      ...newDayReport(rounds, clients),
      notes: [
        `websocket-server (built JS, LOG_LEVEL=warn, MAX_CONNECTIONS=50000) with ${formatNumber(clients)} clients, each subscribed to all 11 lists and holding their snapshots; no feed running, as at 03:00 New York when the announcement comes (the lists of the day before are in Redis).`,
        'Each announcement sets trading:current_day and publishes the real trading:new_day payload (redis-keys encodeNewDayEvent) in one MULTI, the next trading day each time; latency is from just before the MULTI to each client\'s receipt of new_day, on the same machine clock. The clients are held by 4 load-generator processes at nice 10 (they yield the cores to the server).',
      ],
    });
    benchLog('new_day_written', { path });
    process.stdout.write(`${path}\n`);
  });
});
