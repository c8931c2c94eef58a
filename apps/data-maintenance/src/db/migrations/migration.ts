/**
 * One schema change. Migrations are TypeScript modules exporting SQL strings (not .sql files) so that
 * `tsc` carries them into dist and the built app finds them without copying assets.
 */
export interface Migration {
  /** Applied in ascending order; never reused, never renumbered once released. */
  readonly version: number;
  readonly name: string;
  /** Runs inside one transaction with `search_path` set to the target schema; names stay unqualified. */
  readonly sql: string;
}
