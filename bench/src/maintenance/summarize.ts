import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { formatNumber, formatSpread, mebibytes } from '../report/format.js';
import type { MachineInfo } from '../report/machine.js';
import type { BenchChart, BenchResult, BenchTable, TargetCheck } from '../report/results.js';
import { type Spread, mapSpread } from '../report/stats.js';
import type { MaintenancePlan } from './bench-plan.js';
import { type RunMeasurement, SOURCE_TASKS, type Variant } from './measurement.js';
import { type Sample, extraOf, pairRatio, rateOf, runsOf, spreadOf, taskOf } from './samples.js';

export const CYCLE_TARGET_SECONDS = 30;
export const SPEEDUP_TARGET = 10;
export const FLOOR_RATIO_TARGET = 1.5;
/** The targets in the order `targets` lists them, as keys for their explanations. */
export const TARGET_KEYS = ['cycle', 'speedup', 'floor'] as const;

const TASK_ORDER = MAINTENANCE_TASKS;

const SOURCES: ReadonlyArray<readonly [Variant, string, string]> = [
  ['cycle-synthetic', 'synthetic (in process)', 'synthetic'],
  ['cycle-polygon', 'polygon (REST client, fake server)', 'polygon'],
  ['cycle-flatfiles', 'flat files (gzip CSV on disk)', 'flat files'],
];

export interface MaintenanceSummaryInput {
  readonly plan: MaintenancePlan;
  readonly machine: MachineInfo;
  readonly command: string;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly setupSeconds: number;
  readonly samples: readonly Sample[];
  /** Facts about the run the summary cannot derive (history loaded, load average, ...). */
  readonly notes: readonly string[];
}

const seconds = (value: Spread) => formatSpread(value, 2);
const rate = (value: Spread | null) => (value === null ? '–' : formatSpread(value, 0));
const ratio = (value: Spread) => `${formatSpread(value, 2)}×`;
const mib = (value: Spread) => formatSpread(value, 0);
const bar = (label: string, value: Spread, group?: string) => ({ label, ...(group === undefined ? {} : { group }), median: value.median, min: value.min, max: value.max });

function taskTable(title: string, runs: readonly RunMeasurement[], versus: readonly RunMeasurement[] | null): BenchTable {
  const columns = ['task', 'wall s', 'in the source s', 'rows written', 'rows/s', 'keys written', 'keys/s', 'peak RSS MiB'];
  const rows = TASK_ORDER.map((task) => {
    const wall = (run: RunMeasurement) => taskOf(run, task).seconds;
    const cells: Array<string | number> = [
      task,
      seconds(spreadOf(runs, wall)),
      seconds(spreadOf(runs, (run) => taskOf(run, task).sourceSeconds)),
      formatSpread(spreadOf(runs, (run) => taskOf(run, task).rows)),
      rate(rateOf(runs, (run) => taskOf(run, task).rows, wall)),
      formatSpread(spreadOf(runs, (run) => taskOf(run, task).keys)),
      rate(rateOf(runs, (run) => taskOf(run, task).keys, wall)),
      mib(spreadOf(runs, (run) => mebibytes(taskOf(run, task).peakRssBytes))),
    ];
    if (versus !== null) cells.push(ratio(pairRatio(runs, versus, wall)));
    return cells;
  });
  const total: Array<string | number> = [
    'whole cycle',
    seconds(spreadOf(runs, (run) => run.totalSeconds)),
    seconds(spreadOf(runs, (run) => run.tasks.reduce((n, t) => n + t.sourceSeconds, 0))),
    formatSpread(spreadOf(runs, (run) => run.tasks.reduce((n, t) => n + t.rows, 0))),
    rate(rateOf(runs, (run) => run.tasks.reduce((n, t) => n + t.rows, 0), (run) => run.totalSeconds)),
    formatSpread(spreadOf(runs, (run) => run.tasks.reduce((n, t) => n + t.keys, 0))),
    rate(rateOf(runs, (run) => run.tasks.reduce((n, t) => n + t.keys, 0), (run) => run.totalSeconds)),
    `${mib(spreadOf(runs, (run) => mebibytes(run.maxRssBytes)))} (process max)`,
  ];
  if (versus !== null) total.push(ratio(pairRatio(runs, versus, (run) => run.totalSeconds)));
  return { title, columns: versus === null ? columns : [...columns, 'original ÷ app'], rows: [...rows, total] };
}

/** The three source tasks' time in one run. */
const sourceTasksSeconds = (run: RunMeasurement) => SOURCE_TASKS.reduce((n, task) => n + taskOf(run, task).seconds, 0);

function sourcesTable(samples: readonly Sample[]): BenchTable {
  const synthetic = runsOf(samples, 'cycle-synthetic');
  return {
    title: `The tasks that read the data source (${SOURCE_TASKS.join(', ')}), by source: same data, interleaved`,
    columns: ['source', ...SOURCE_TASKS.map((task) => `${task} s`), 'the three s', 'in the source s', 'HTTP requests', 'process max RSS MiB', '÷ synthetic'],
    rows: SOURCES.map(([variant, label]) => {
      const runs = runsOf(samples, variant);
      return [
        label,
        ...SOURCE_TASKS.map((task) => seconds(spreadOf(runs, (run) => taskOf(run, task).seconds))),
        seconds(spreadOf(runs, sourceTasksSeconds)),
        seconds(spreadOf(runs, (run) => SOURCE_TASKS.reduce((n, task) => n + taskOf(run, task).sourceSeconds, 0))),
        variant === 'cycle-polygon' ? formatSpread(spreadOf(runs, (run) => extraOf(run, 'http_requests'))) : '–',
        variant === 'cycle-synthetic' ? `${mib(spreadOf(runs, (run) => mebibytes(run.maxRssBytes)))} (whole cycle)` : mib(spreadOf(runs, (run) => mebibytes(run.maxRssBytes))),
        ratio(pairRatio(runs, synthetic, sourceTasksSeconds)),
      ];
    }),
  };
}

interface FloorFigures {
  readonly copy: Spread;
  readonly appLoad: Spread;
  readonly task: Spread;
  readonly appLoadVsCopy: Spread;
  readonly taskVsCopy: Spread;
  readonly pipeline: Spread;
  readonly appRedis: Spread;
  readonly appRedisVsPipeline: Spread;
}

function floorFigures(samples: readonly Sample[]): FloorFigures {
  const floors = runsOf(samples, 'floors');
  const synthetic = runsOf(samples, 'cycle-synthetic');
  const copy = (run: RunMeasurement) => extraOf(run, 'copy_seconds');
  return {
    copy: spreadOf(floors, copy),
    appLoad: spreadOf(floors, (run) => extraOf(run, 'app_load_seconds')),
    task: spreadOf(synthetic, (run) => taskOf(run, 'load_volume_slots').seconds),
    appLoadVsCopy: pairRatio(floors, floors, (run) => extraOf(run, 'app_load_seconds'), copy),
    taskVsCopy: pairRatio(synthetic, floors, (run) => taskOf(run, 'load_volume_slots').seconds, copy),
    pipeline: spreadOf(floors, (run) => extraOf(run, 'pipeline_seconds')),
    appRedis: spreadOf(floors, (run) => extraOf(run, 'app_redis_seconds')),
    appRedisVsPipeline: pairRatio(floors, floors, (run) => extraOf(run, 'app_redis_seconds'), (run) => extraOf(run, 'pipeline_seconds')),
  };
}

function floorsTable(samples: readonly Sample[], figures: FloorFigures): BenchTable {
  const floors = runsOf(samples, 'floors');
  const rowsCopied = spreadOf(floors, (run) => extraOf(run, 'copy_rows')).median;
  const keys = spreadOf(floors, (run) => extraOf(run, 'redis_keys')).median;
  const rows = (s: Spread) => formatSpread(mapSpread(s, (v) => rowsCopied / v), 0);
  const keyRate = (s: Spread) => formatSpread(mapSpread(s, (v) => keys / v), 0);
  return {
    title: `The floors: ${formatNumber(rowsCopied)} slot rows and ${formatNumber(keys)} cache keys, side by side`,
    columns: ['what', 'how', 'seconds', 'per second', '÷ floor'],
    rows: [
      ['slot rows into an empty table', 'floor: psql \\copy of a CSV (process start to exit)', seconds(figures.copy), rows(figures.copy), '1'],
      ['slot rows into an empty table', 'app: replaceVolumeSlots (validate, DELETE, COPY) of the same rows', seconds(figures.appLoad), rows(figures.appLoad), ratio(figures.appLoadVsCopy)],
      ['slot rows into an empty table', 'app: the whole load_volume_slots task (source, slots, load)', seconds(figures.task), rows(figures.task), ratio(figures.taskVsCopy)],
      ['per-ticker cache keys', 'floor: one pipeline of HSET/SET + EXPIRE', seconds(figures.pipeline), keyRate(figures.pipeline), '1'],
      ['per-ticker cache keys', 'app: replaceHashes/replaceStrings (tmp key + RENAME, MULTI per chunk)', seconds(figures.appRedis), keyRate(figures.appRedis), ratio(figures.appRedisVsPipeline)],
    ],
  };
}

function sampleTable(samples: readonly Sample[], plan: MaintenancePlan): BenchTable | null {
  if (plan.originalSlotSample === null) return null;
  const original = runsOf(samples, 'original');
  const rowsA = (run: RunMeasurement) => extraOf(run, 'slot_sample_a_rows');
  const rowsB = (run: RunMeasurement) => extraOf(run, 'slot_sample_b_rows');
  const secA = (run: RunMeasurement) => extraOf(run, 'slot_sample_a_seconds');
  const secB = (run: RunMeasurement) => extraOf(run, 'slot_sample_b_seconds');
  const total = (run: RunMeasurement) => taskOf(run, 'load_volume_slots').rows;
  return {
    title: 'The original slot insert, measured on two sample sizes and scaled to every row',
    columns: ['rows inserted row by row', 'seconds', 'rows/s'],
    rows: [
      [formatSpread(spreadOf(original, rowsA)), seconds(spreadOf(original, secA)), rate(rateOf(original, rowsA, secA))],
      [formatSpread(spreadOf(original, rowsB)), seconds(spreadOf(original, secB)), rate(rateOf(original, rowsB, secB))],
      [
        `${formatSpread(spreadOf(original, total))} (scaled)`,
        seconds(spreadOf(original, (run) => extraOf(run, 'slot_insert_seconds_scaled'))),
        rate(rateOf(original, total, (run) => extraOf(run, 'slot_insert_seconds_scaled'))),
      ],
    ],
  };
}

function charts(samples: readonly Sample[], figures: FloorFigures, tickers: string): BenchChart[] {
  const app = runsOf(samples, 'cycle-synthetic');
  const original = runsOf(samples, 'original');
  const total = (run: RunMeasurement) => run.totalSeconds;
  return [
    {
      title: `Whole daily cycle, ${tickers} tickers: app vs the original method`,
      unit: 'seconds (median, min–max)',
      bars: [bar('app (runCycle)', spreadOf(app, total)), bar('original method', spreadOf(original, total))],
    },
    {
      title: 'Per task: app vs the original method',
      unit: 'seconds (median, min–max)',
      bars: TASK_ORDER.flatMap((task) => [
        bar(task, spreadOf(app, (run) => taskOf(run, task).seconds), 'app'),
        bar(task, spreadOf(original, (run) => taskOf(run, task).seconds), 'original'),
      ]),
    },
    {
      title: 'The tasks that read the data source, by source',
      unit: 'seconds (median, min–max)',
      bars: SOURCES.flatMap(([variant, , short]) =>
        SOURCE_TASKS.map((task) => bar(task, spreadOf(runsOf(samples, variant), (run) => taskOf(run, task).seconds), short)),
      ),
    },
    {
      title: 'Slot load vs the COPY floor',
      unit: 'seconds (median, min–max)',
      bars: [
        bar('psql \\copy (floor)', figures.copy),
        bar('replaceVolumeSlots', figures.appLoad),
        bar('load_volume_slots task', figures.task),
      ],
    },
    {
      title: 'Cache keys vs the pipelined floor',
      unit: 'seconds (median, min–max)',
      bars: [bar('one pipeline (floor)', figures.pipeline), bar('app replace (tmp + RENAME)', figures.appRedis)],
    },
  ];
}

function sourceShare(runs: readonly RunMeasurement[]): string {
  const inSource = spreadOf(runs, (run) => run.tasks.reduce((n, t) => n + t.sourceSeconds, 0)).median;
  const whole = spreadOf(runs, (run) => run.totalSeconds).median;
  const slowest = TASK_ORDER.map((task) => [task, spreadOf(runs, (run) => taskOf(run, task).seconds).median] as const).sort((a, b) => b[1] - a[1]);
  const top = slowest.slice(0, 3).map(([task, s]) => `${task} ${formatNumber(s, 1)} s`).join(', ');
  return `${formatNumber(inSource, 1)} s of the ${formatNumber(whole, 1)} s are spent inside the data source; slowest tasks: ${top}`;
}

function targets(samples: readonly Sample[], figures: FloorFigures, explanations: Readonly<Record<string, string>>): TargetCheck[] {
  const app = runsOf(samples, 'cycle-synthetic');
  const original = runsOf(samples, 'original');
  const total = (run: RunMeasurement) => run.totalSeconds;
  const cycle = spreadOf(app, total);
  // The other sources run only the tasks that read them: their whole cycle is those plus the synthetic run's other four.
  const others = SOURCES.slice(1)
    .map(([variant, , short]) => {
      const extra = pairRatio(runsOf(samples, variant), app, sourceTasksSeconds);
      return `${short}: its three source tasks take ${ratio(extra)} the synthetic ones`;
    })
    .join('; ');
  const speedup = pairRatio(original, app, total);
  const cycleMet = cycle.median <= CYCLE_TARGET_SECONDS;
  const speedMet = speedup.median >= SPEEDUP_TARGET;
  const floorMet = figures.appLoadVsCopy.median <= FLOOR_RATIO_TARGET;
  return [
    {
      target: `whole cycle <= ${CYCLE_TARGET_SECONDS} s on this machine`,
      measured: `synthetic source ${seconds(cycle)} s (${others})`,
      met: cycleMet,
      explanation: cycleMet ? null : `${sourceShare(app)}. ${explanations['cycle'] ?? ''}`.trim(),
    },
    {
      target: `>= ${SPEEDUP_TARGET}x faster than the original method (same tasks, same data)`,
      measured: `${ratio(speedup)} (original ${seconds(spreadOf(original, total))} s vs app ${seconds(cycle)} s)`,
      met: speedMet,
      explanation: speedMet ? null : `${sourceShare(app)}. ${explanations['speedup'] ?? ''}`.trim(),
    },
    {
      target: `slot load within ${FLOOR_RATIO_TARGET}x of the COPY floor`,
      measured:
        `replaceVolumeSlots ${ratio(figures.appLoadVsCopy)} of psql \\copy (${seconds(figures.appLoad)} s vs ${seconds(figures.copy)} s); ` +
        `the whole load_volume_slots task ${ratio(figures.taskVsCopy)}`,
      met: floorMet,
      explanation: floorMet
        ? null
        : `replaceVolumeSlots validates every row, then DELETEs the session's rows and COPYs them in one transaction. ${explanations['floor'] ?? ''}`.trim(),
    },
  ];
}

/**
 * The result file of the maintenance benchmark: tables per task, the original method beside the app,
 * the data sources, the floors; the three targets checked. Pure: measurements in, result out.
 * `explanations` adds, per target key (cycle, speedup, floor), what a profile found when one is missed.
 */
export function summarizeMaintenance(input: MaintenanceSummaryInput, explanations: Readonly<Record<string, string>> = {}): BenchResult {
  const { plan, samples } = input;
  const app = runsOf(samples, 'cycle-synthetic');
  const original = runsOf(samples, 'original');
  const figures = floorFigures(samples);
  const tickers = formatNumber(plan.universe);
  const tables = [
    taskTable(`The app's cycle per task: synthetic source, ${tickers} tickers, session ${plan.target}`, app, null),
    taskTable('The original method per task, on the same data', original, app),
    sampleTable(samples, plan),
    sourcesTable(samples),
    floorsTable(samples, figures),
  ].filter((table): table is BenchTable => table !== null);
  return {
    name: 'maintenance',
    title: `Daily maintenance at production scale (${tickers} tickers)`,
    command: input.command,
    machine: input.machine,
    startedAt: input.startedAt,
    durationSeconds: input.durationSeconds,
    repetitions: plan.repetitions,
    tables,
    charts: charts(samples, figures, tickers),
    targets: targets(samples, figures, explanations),
    notes: input.notes,
  };
}
