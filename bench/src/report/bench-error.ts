/** Stable machine codes for the benchmark harness's own errors. */
export const BENCH_ERROR_CODES = [
  /** An argument outside its domain (no values to summarise, a percentile outside 0..100). */
  'INVALID_ARGUMENT',
  /** A results file that is not a benchmark result (bad JSON, a missing or mistyped field). */
  'INVALID_RESULT',
  /** A command-line option the benchmark does not know. */
  'UNKNOWN_OPTION',
  /** A measured run that did not do what it was measuring (a failed task, a wrong row count). */
  'RUN_FAILED',
] as const;
export type BenchErrorCode = (typeof BENCH_ERROR_CODES)[number];

export class BenchError extends Error {
  constructor(
    readonly code: BenchErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'BenchError';
  }
}
