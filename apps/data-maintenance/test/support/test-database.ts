import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { migrate } from '../../src/db/migrate.js';
import { createPool } from '../../src/db/pool.js';

/** The PostgreSQL the tests use (the CI and development machines run one with trust auth). */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** A pool whose search_path is the test's own schema. */
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly connectionString: string;
  /** Ends the pool and drops the schema with everything in it. */
  drop(): Promise<void>;
}

export function randomSchemaName(): string {
  return `test_${randomBytes(6).toString('hex')}`;
}

/** A fresh random schema, migrated unless `migrate: false`. Call `drop()` in afterEach/afterAll. */
export async function createTestDatabase(options: { readonly migrate?: boolean; readonly max?: number } = {}): Promise<TestDatabase> {
  const schema = randomSchemaName();
  const pool = createPool({ connectionString: TEST_DATABASE_URL, schema, max: options.max ?? 5 });
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    try {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await pool.end();
    }
  };
  try {
    if (options.migrate !== false) await migrate(pool, schema);
  } catch (error) {
    await drop();
    throw error;
  }
  return { pool, schema, connectionString: TEST_DATABASE_URL, drop };
}

/**
 * md5 of a table's rows in a stable order: two states are identical when their checksums are. Rows
 * are rendered with their text form, so float8 values compare exactly (PostgreSQL 12+ prints the
 * shortest exact representation).
 */
export async function tableChecksum(db: pg.Pool, table: string, orderBy: string): Promise<{ rows: number; md5: string }> {
  const res = await db.query<{ rows: number; md5: string }>(
    `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY ${orderBy}), '')) AS md5 FROM ${table} t`,
  );
  return res.rows[0] as { rows: number; md5: string };
}
