import { loadavg } from 'node:os';
import { nyseCalendar } from '@scanner/market-calendar';
import { parseBenchArgs } from '../report/bench-args.js';
import { benchLog } from '../report/bench-log.js';
import { formatNumber } from '../report/format.js';
import { machineInfo } from '../report/machine.js';
import { writeResult } from '../report/results.js';
import { interleaved } from '../report/schedule.js';
import { type BenchEnvironment, setUpEnvironment, tearDownEnvironment } from './bench-environment.js';
import { type MaintenancePlan, maintenancePlan } from './bench-plan.js';
import { runChild } from './child-process.js';
import { BENCH_POLYGON_RPS } from './cycle-deps.js';
import { describeProfile, describeTaskProfiles, readLoadProfile, readProfiles } from './profile-text.js';
import { type RunMeasurement, VARIANTS, type Variant } from './measurement.js';
import { resetTargetSession } from './reset-session.js';
import type { VariantInput } from './run-variant.js';
import type { Sample } from './samples.js';
import { TARGET_KEYS, summarizeMaintenance } from './summarize.js';
import { verifyRun } from './verify-run.js';

/** The services the benchmark runs on (the same local ones the integration tests use). */
const DATABASE_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

function setupNotes(plan: MaintenancePlan, env: BenchEnvironment, loadBefore: readonly number[], loadAfter: readonly number[]): string[] {
  const first = plan.dailyHistory[0] ?? plan.setupSession;
  const lastSlots = plan.slotHistory.at(-1) ?? plan.setupSession;
  const tickers = formatNumber(plan.universe);
  const notes = [
    `Data: ${tickers} tickers from the app's SyntheticMarketDataSource (seed ${plan.seed}); the measured session is ${plan.target}. ` +
      `Every variant reads the same data and must store the same ${formatNumber(env.referenceSlots.rows)} slot rows (checked by checksum after each run, with the daily bars and a cache key of each family per ticker).`,
    `History loaded before the measured runs (untimed): daily bars of ${plan.dailyHistory.length} sessions (${first} to ${plan.dailyHistory.at(-1) ?? first}, ` +
      `${formatNumber(env.setup.dailyRows)} rows) with the app's replaceDailyBars (COPY); volume slots of ${plan.slotHistory.length} sessions ` +
      `(${plan.slotHistory[0] ?? lastSlots} to ${lastSlots}, ${formatNumber(env.setup.slotRows)} rows) with replaceVolumeSlots (COPY); then the app's whole cycle for ${plan.setupSession}, ` +
      `which adds that session's bars and slots and writes ticker_metadata, atr_daily, volume_slot_averages and the Redis caches as "yesterday's run" left them. ` +
      `So the measured run has ${plan.dailyHistory.length + 1} sessions of daily bars (ATR_MAX_SESSIONS) and the last ${plan.slotHistory.length + 1} full sessions of slots (its RVOL window), ` +
      `and snapshot:enriched:latest lists all ${tickers} tickers (auto_recover_missing_tickers finds none missing). Setup took ${formatNumber(env.setup.seconds, 0)} s: ` +
      `${formatNumber(env.setup.historySeconds, 0)} s generating and loading the history and writing the fixtures (one process per core), ${formatNumber(env.setup.previousCycleSeconds, 0)} s the previous session's cycle.`,
    'Before every measured run (untimed): the target session\'s rows are deleted (its partition truncated), the previous session\'s bars restored, VACUUM ANALYZE and CHECKPOINT, so each run starts like the first run of the day.',
    `Each measured run is a fresh Node process. Peak RSS per task: process.memoryUsage.rss() sampled every 20 ms while the task runs; "process max" is the process's getrusage high-water mark. PostgreSQL, Redis, psql and the fake Polygon server are other processes and are not counted.`,
    '"in the source s" is time spent waiting on the market data source (generating synthetic bars, HTTP to the fake server, reading gzip files); the rest of a task is computing and writing.',
    `Original method (bench/src/maintenance/original-method/, after the seed's data-maintenance-overview.md): one connection; each row one parameterised INSERT ... ON CONFLICT DO UPDATE, executemany-style in transactions of 1,000 rows (the seed names no batch size); ` +
      'one ATR query per ticker then HSET + EXPIRE; RVOL: every rvol:hist:avg:* key found by SCAN and deleted one DEL each, then one AVG ... GROUP BY query and one HSET + EXPIRE per ticker; one SET per metadata key; sync_redis with one command per key (EXISTS checks before repairs). ' +
      'As in the seed it writes no atr_daily, volume_slot_averages or ticker_metadata rows and does not refresh the previous session, all of which the app does: the comparison leans in the original\'s favour. ' +
      'Its ATR query reads the app\'s window (ATR_MAX_SESSIONS) instead of the seed\'s LIMIT 14, so both compute the same ATR.',
    `Polygon: the app's real REST client against the test suite's fake Polygon server (real JSON shapes, same synthetic data) in a separate process on this machine, with POLYGON_RPS=${BENCH_POLYGON_RPS} and the default concurrency: ` +
      'this measures the client and the pipeline, not a plan\'s rate limit (at the default 50 requests/s, the ~36,000 requests alone would take about 12 minutes).',
    'Flat files: written with the app\'s flat-file writer from the same synthetic data: the day files of the session and the previous one, the session\'s minute file (each 5-minute bar as one minute row at its start, which the source folds back into the same bar; ' +
      `${formatNumber(env.setup.fixtureMinuteRows)} rows; for 12,000 tickers about the size of a real SIP minute file, where most tickers do not trade every minute) and reference/tickers.json.`,
    'Floors: psql \\copy of the same slot rows as CSV into an empty table of volume_slots\' shape (indexes included); one Redis pipeline of the same per-ticker keys (the values the cycle wrote) under a scratch prefix; each next to the app doing the same job in the same process.',
    `Load average (1, 5, 15 min) at the start: ${loadBefore.map((l) => l.toFixed(2)).join(', ')}; at the end: ${loadAfter.map((l) => l.toFixed(2)).join(', ')} (other work on the machine slows every variant alike; the interleaving keeps the ratios fair).`,
  ];
  if (plan.originalSlotSample !== null) {
    const [a, b] = plan.originalSlotSample;
    notes.push(
      `The original's row-by-row slot insert would take several minutes per repetition at full size, so it runs on the rows of ${a} tickers, then the next ${b} (two sizes: the table above shows their rows/s agree, i.e. the time is linear in rows), ` +
        'and its time is scaled to all rows; the other rows are copied in untimed so the tasks after it read the whole session. Everything else of the original runs at full size.',
    );
  }
  if (plan.quick) notes.push('A --quick smoke run: small universe, one repetition; not a measurement.');
  return notes;
}

/** One run of a variant in its own process, from the reset state, checked afterwards. */
async function measureRun(env: BenchEnvironment, variant: Variant, profile: boolean): Promise<RunMeasurement> {
  const began = performance.now();
  await resetTargetSession(env);
  const resetSeconds = (performance.now() - began) / 1000;
  const input: VariantInput = {
    target: env.target,
    variant,
    date: env.plan.target,
    trigger: profile ? 'bench-profile' : 'bench',
    polygon: { baseUrl: env.polygon.baseUrl, apiKey: env.polygon.apiKey },
    flatFilesDir: env.flatFilesDir,
    slotCsv: env.slotCsv,
    slotSample: env.plan.originalSlotSample,
    profile,
  };
  const run = await runChild<RunMeasurement>('run-variant.ts', input);
  await verifyRun(env, variant);
  benchLog('maintenance_run_done', {
    variant,
    profile,
    measured_seconds: Number(run.totalSeconds.toFixed(2)),
    reset_seconds: Number(resetSeconds.toFixed(1)),
    wall_seconds: Number(((performance.now() - began) / 1000).toFixed(1)),
  });
  return run;
}

/**
 * For each missed target, one extra unmeasured run under the CPU profiler: the app's cycle (each task
 * profiled on its own) for the cycle and speed-up targets, replaceVolumeSlots for the floor target. Its summary goes into the
 * target's explanation, beside the measured numbers.
 */
async function explainMisses(env: BenchEnvironment, missed: ReadonlySet<string>): Promise<Record<string, string>> {
  const explanations: Record<string, string> = {};
  if (missed.has('cycle') || missed.has('speedup')) {
    const run = await measureRun(env, 'cycle-synthetic', true);
    const readings = readProfiles(run.tasks);
    const text = `${describeTaskProfiles(run.tasks)}${readings.length === 0 ? '' : ` Reading of the profile: ${readings.join('; ')}.`}`;
    explanations['cycle'] = text;
    explanations['speedup'] = text;
  }
  if (missed.has('floor')) {
    const run = await measureRun(env, 'floors', true);
    if (run.profile !== undefined) {
      const readings = readLoadProfile(run.profile);
      explanations['floor'] =
        `${describeProfile("replaceVolumeSlots of the session's slot rows", run.profile)}` +
        (readings.length === 0 ? '' : ` Reading of the profile: ${readings.join('; ')}.`);
    }
  }
  return explanations;
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const plan = maintenancePlan(args.quick, nyseCalendar);
  const startedAt = new Date();
  const began = performance.now();
  const loadBefore = loadavg();
  const machine = await machineInfo({ redisUrl: REDIS_URL, databaseUrl: DATABASE_URL });
  benchLog('maintenance_bench_started', { universe: plan.universe, repetitions: plan.repetitions, target: plan.target });

  const env = await setUpEnvironment(plan, { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL });
  // Interrupted by hand: still drop the schema and the keys (the children get the signal themselves).
  const interrupted = (signal: NodeJS.Signals) => {
    benchLog('maintenance_bench_interrupted', { signal });
    void tearDownEnvironment(env).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let result;
  try {
    const samples: Sample[] = [];
    for (const { repetition, variant } of interleaved(VARIANTS, plan.repetitions)) {
      samples.push({ repetition, run: await measureRun(env, variant, false) });
    }
    const loadAfter = loadavg();
    const summary = (explanations: Record<string, string>) =>
      summarizeMaintenance(
        {
          plan,
          machine,
          command: args.quick ? 'npm run bench:maintenance -- --quick' : 'npm run bench:maintenance',
          startedAt: startedAt.toISOString(),
          durationSeconds: (performance.now() - began) / 1000,
          setupSeconds: env.setup.seconds,
          samples,
          notes: setupNotes(plan, env, loadBefore, loadAfter),
        },
        explanations,
      );
    const first = summary({});
    const missed = new Set(first.targets.flatMap((target, index) => (target.met ? [] : [TARGET_KEYS[index] ?? ''])));
    result = missed.size === 0 ? first : summary(await explainMisses(env, missed));
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await tearDownEnvironment(env);
  }
  const path = await writeResult(result);
  benchLog('maintenance_bench_finished', { path, seconds: Math.round(result.durationSeconds) });
  process.stdout.write(`${path}\n`);
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(`error ${typeof code === 'string' ? code : 'BENCH_FAILED'}: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
