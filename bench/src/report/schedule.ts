import { BenchError } from './bench-error.js';

export interface ScheduledRun<V> {
  /** 0-based repetition. */
  readonly repetition: number;
  readonly variant: V;
}

/**
 * The order side-by-side comparisons run in: A, B, C, A, B, C, ... so that drift on a noisy machine
 * (page cache, autovacuum, thermal) hits every variant alike instead of one whole block of them.
 */
export function interleaved<V>(variants: readonly V[], repetitions: number): ReadonlyArray<ScheduledRun<V>> {
  if (!Number.isInteger(repetitions) || repetitions < 1) {
    throw new BenchError('INVALID_ARGUMENT', `repetitions must be a positive integer, got ${repetitions}`);
  }
  if (variants.length === 0) throw new BenchError('INVALID_ARGUMENT', 'no variants to schedule');
  const runs: Array<ScheduledRun<V>> = [];
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    for (const variant of variants) runs.push({ repetition, variant });
  }
  return runs;
}
