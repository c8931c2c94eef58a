import { BenchError } from './bench-error.js';

/** A measurement repeated: the median is the reported number, min-max its spread, runs every value in run order. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
}

function assertValues(values: readonly number[], what: string): void {
  if (values.length === 0) throw new BenchError('INVALID_ARGUMENT', `${what} of no values`);
  const bad = values.find((value) => !Number.isFinite(value));
  if (bad !== undefined) throw new BenchError('INVALID_ARGUMENT', `${what} of a non-finite value (${bad})`);
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The value at an index known to exist (the callers check the length first). */
function at(values: readonly number[], index: number): number {
  const value = values[index];
  if (value === undefined) throw new BenchError('INVALID_ARGUMENT', `no value at index ${index} of ${values.length}`);
  return value;
}

/** Median (the mean of the middle two for an even count), min, max. */
export function spread(values: readonly number[]): Spread {
  assertValues(values, 'spread');
  const ordered = sorted(values);
  const middle = Math.floor(ordered.length / 2);
  const median = ordered.length % 2 === 1 ? at(ordered, middle) : (at(ordered, middle - 1) + at(ordered, middle)) / 2;
  return { median, min: at(ordered, 0), max: at(ordered, ordered.length - 1), runs: [...values] };
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it (p = 0 gives the min). */
export function percentile(values: readonly number[], p: number): number {
  assertValues(values, 'percentile');
  if (!(p >= 0 && p <= 100)) throw new BenchError('INVALID_ARGUMENT', `percentile ${p} is outside 0..100`);
  const ordered = sorted(values);
  const rank = Math.max(1, Math.ceil((p / 100) * ordered.length));
  return at(ordered, rank - 1);
}

/**
 * Ratios taken per repetition pair (numerators[i] / denominators[i], measured side by side in repetition i),
 * then summarised: drift between repetitions hits both sides of a pair alike.
 */
export function ratioSpread(numerators: readonly number[], denominators: readonly number[]): Spread {
  if (numerators.length !== denominators.length) {
    throw new BenchError('INVALID_ARGUMENT', `ratio of ${numerators.length} runs to ${denominators.length} runs: pairs needed`);
  }
  const zero = denominators.findIndex((value) => value === 0);
  if (zero !== -1) throw new BenchError('INVALID_ARGUMENT', `ratio with a zero denominator in run ${zero + 1}`);
  return spread(numerators.map((value, index) => value / at(denominators, index)));
}

/** A spread mapped value by value (e.g. seconds to rows per second); min and max follow the mapping's direction. */
export function mapSpread(source: Spread, map: (value: number) => number): Spread {
  return spread(source.runs.map(map));
}
