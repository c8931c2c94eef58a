import { BenchError } from './bench-error.js';

export interface BenchArgs {
  /** Small sizes and one repetition: a smoke run, not a measurement. */
  readonly quick: boolean;
}

/** Every benchmark main takes the same options: `--quick` or nothing. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else throw new BenchError('UNKNOWN_OPTION', `unknown option ${arg} (expected --quick or nothing)`);
  }
  return { quick };
}
