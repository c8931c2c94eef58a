import type pg from 'pg';
import { DbError } from './db-error.js';
import { checkSchemaName, quoteIdent } from './identifiers.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { withTransaction, type TxClient } from './pool.js';

export interface MigrateResult {
  readonly schema: string;
  /** Versions applied by this call, in order (empty when the schema was already current). */
  readonly applied: readonly number[];
  /** The highest version recorded after this call. */
  readonly currentVersion: number;
}

/**
 * Brings `schema` up to date: creates it if missing, then applies each pending migration in its own
 * transaction and records it in `schema_migrations`. Every transaction first takes an advisory lock
 * scoped to the schema, so two processes migrating at once serialize and the second finds nothing to
 * do; re-running is a no-op.
 */
export async function migrate(
  pool: pg.Pool,
  schema: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrateResult> {
  checkSchemaName(schema);
  checkMigrationList(migrations);

  const known = new Set(migrations.map((m) => m.version));
  const recorded = await withTransaction(pool, async (tx) => {
    await lockAndScope(tx, schema);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await tx.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    return appliedVersions(tx);
  });
  const unknown = [...recorded].filter((v) => !known.has(v));
  if (unknown.length > 0) {
    throw new DbError(
      'UNKNOWN_MIGRATION',
      `schema ${schema} has migrations ${unknown.join(', ')} that this build does not know: it was migrated by a newer release`,
    );
  }

  const applied: number[] = [];
  for (const migration of migrations) {
    if (recorded.has(migration.version)) continue;
    const didApply = await withTransaction(pool, async (tx) => {
      await lockAndScope(tx, schema);
      // Another process may have applied it between our read and our lock.
      if ((await appliedVersions(tx)).has(migration.version)) return false;
      await tx.query(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  return { schema, applied, currentVersion: Math.max(0, ...migrations.map((m) => m.version)) };
}

/** The versions recorded in `schema`, or an empty set when it has never been migrated. */
export async function schemaVersions(db: pg.Pool | pg.PoolClient, schema: string): Promise<number[]> {
  checkSchemaName(schema);
  const exists = await db.query<{ present: boolean }>(
    `SELECT to_regclass($1) IS NOT NULL AS present`,
    [`${quoteIdent(schema)}.schema_migrations`],
  );
  if (!exists.rows[0]?.present) return [];
  const res = await db.query<{ version: number }>(
    `SELECT version FROM ${quoteIdent(schema)}.schema_migrations ORDER BY version`,
  );
  return res.rows.map((r) => r.version);
}

async function lockAndScope(tx: TxClient, schema: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('data-maintenance:migrate'), hashtext($1))`, [schema]);
  // The pool already sets search_path; setting it here too keeps migrate correct on any pool.
  await tx.query(`SET LOCAL search_path TO ${quoteIdent(schema)}`);
}

async function appliedVersions(tx: TxClient): Promise<Set<number>> {
  const res = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(res.rows.map((r) => r.version));
}

function checkMigrationList(migrations: readonly Migration[]): void {
  for (let i = 1; i < migrations.length; i++) {
    const prev = migrations[i - 1];
    const cur = migrations[i];
    if (prev && cur && cur.version <= prev.version) {
      throw new DbError('INVALID_ARGUMENT', `migrations must be in ascending version order: ${prev.version} then ${cur.version}`);
    }
  }
}
