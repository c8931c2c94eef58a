import { BenchError } from '../report/bench-error.js';
import { type Spread, ratioSpread, spread } from '../report/stats.js';
import type { RunMeasurement, TaskMeasurement, Variant } from './measurement.js';

/** One measured run and where it fell in the interleaved schedule. */
export interface Sample {
  readonly repetition: number;
  readonly run: RunMeasurement;
}

/** The runs of one variant, in repetition order. */
export function runsOf(samples: readonly Sample[], variant: Variant): RunMeasurement[] {
  return [...samples]
    .filter((s) => s.run.variant === variant)
    .sort((a, b) => a.repetition - b.repetition)
    .map((s) => s.run);
}

export function taskOf(run: RunMeasurement, task: string): TaskMeasurement {
  const found = run.tasks.find((t) => t.task === task);
  if (found === undefined) throw new BenchError('INVALID_ARGUMENT', `${run.variant} has no measurement of ${task}`);
  return found;
}

export function extraOf(run: RunMeasurement, name: string): number {
  const value = run.extra[name];
  if (value === undefined) throw new BenchError('INVALID_ARGUMENT', `${run.variant} has no ${name}`);
  return value;
}

/** One number per run of a variant, summarised. */
export function spreadOf(runs: readonly RunMeasurement[], pick: (run: RunMeasurement) => number): Spread {
  return spread(runs.map(pick));
}

/** A throughput per run (count / seconds), summarised; null when nothing was counted. */
export function rateOf(runs: readonly RunMeasurement[], count: (run: RunMeasurement) => number, seconds: (run: RunMeasurement) => number): Spread | null {
  const counts = runs.map(count);
  if (counts.every((n) => n === 0)) return null;
  return spread(runs.map((run, i) => (counts[i] ?? 0) / seconds(run)));
}

/** numerator ÷ denominator pair by pair: runs of the same repetition ran side by side. */
export function pairRatio(
  numerators: readonly RunMeasurement[],
  denominators: readonly RunMeasurement[],
  pick: (run: RunMeasurement) => number,
  pickDenominator: (run: RunMeasurement) => number = pick,
): Spread {
  return ratioSpread(numerators.map(pick), denominators.map(pickDenominator));
}
