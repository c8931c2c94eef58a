/** The process exit codes, for scripts and schedulers. */
export const EXIT = {
  /** Everything asked for was done. */
  OK: 0,
  /** A task failed, or the run could not be carried out (database down, another runner holds the lock, the lock was lost). */
  FAILED: 1,
  /** Bad arguments or configuration: nothing ran. */
  USAGE: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
