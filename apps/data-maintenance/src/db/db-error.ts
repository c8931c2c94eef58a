/** Stable machine codes for the database layer's own errors (PostgreSQL errors pass through untouched). */
export const DB_ERROR_CODES = [
  /** A schema name that is not a plain lower-case identifier. */
  'INVALID_SCHEMA_NAME',
  /** Rows handed to a write that do not belong to it (wrong date, duplicate key, non-finite number). */
  'INVALID_ROWS',
  /** An argument outside its domain (a bad date, a negative count). */
  'INVALID_ARGUMENT',
  /** The database holds migrations this build does not know: it was migrated by a newer release. */
  'UNKNOWN_MIGRATION',
  /** A ledger row that should exist does not (finishing a task that never started). */
  'NOT_FOUND',
  /** volume_slots has a partition this service did not create (MINVALUE bound, DEFAULT): retention will not guess. */
  'UNEXPECTED_PARTITION',
] as const;
export type DbErrorCode = (typeof DB_ERROR_CODES)[number];

export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DbError';
  }
}
