import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DbError } from '../../src/db/db-error.js';
import { migrate, schemaVersions } from '../../src/db/migrate.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { createPool } from '../../src/db/pool.js';
import { createTestDatabase, randomSchemaName, TEST_DATABASE_URL, type TestDatabase } from '../support/test-database.js';

const ALL_VERSIONS = MIGRATIONS.map((m) => m.version);

describe('migrate', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function fresh(): Promise<TestDatabase> {
    const db = await createTestDatabase({ migrate: false });
    cleanups.push(db.drop);
    return db;
  }

  it('creates the schema and every table, and a second run is a no-op', async () => {
    const db = await fresh();
    expect(await schemaVersions(db.pool, db.schema)).toEqual([]);
    const first = await migrate(db.pool, db.schema);
    expect(first.applied).toEqual(ALL_VERSIONS);
    const tables = await db.pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v') ORDER BY 1`,
      [db.schema],
    );
    expect(tables.rows.map((r) => r.name)).toEqual([
      'atr_daily',
      'latest_atr',
      'maintenance_job_runs',
      'maintenance_runs',
      'maintenance_task_runs',
      'market_data_daily',
      'schema_migrations',
      'ticker_metadata',
      'volume_slot_averages',
      'volume_slots',
    ]);
    const second = await migrate(db.pool, db.schema);
    expect(second.applied).toEqual([]);
    expect(second.currentVersion).toBe(Math.max(...ALL_VERSIONS));
    expect(await schemaVersions(db.pool, db.schema)).toEqual(ALL_VERSIONS);
  });

  it('is safe when two processes migrate the same new schema at once', async () => {
    const schema = randomSchemaName();
    // Two pools stand for two processes: separate connections, same schema.
    const a = createPool({ connectionString: TEST_DATABASE_URL, schema, max: 2 });
    const b = createPool({ connectionString: TEST_DATABASE_URL, schema, max: 2 });
    cleanups.push(async () => {
      await a.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await Promise.all([a.end(), b.end()]);
    });
    const [ra, rb] = await Promise.all([migrate(a, schema), migrate(b, schema)]);
    expect([...ra.applied, ...rb.applied].sort((x, y) => x - y)).toEqual(ALL_VERSIONS);
    const recorded = await a.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(recorded.rows.map((r) => r.version)).toEqual(ALL_VERSIONS);
  });

  it('refuses a schema migrated by a newer release', async () => {
    const db = await fresh();
    await migrate(db.pool, db.schema);
    await db.pool.query(`INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')`);
    await expect(migrate(db.pool, db.schema)).rejects.toMatchObject({ code: 'UNKNOWN_MIGRATION' });
  });

  it('rolls a failing migration back whole and records nothing for it', async () => {
    const db = await fresh();
    const broken = [...MIGRATIONS, { version: 100, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT 1/0;' }];
    await expect(migrate(db.pool, db.schema, broken)).rejects.toBeInstanceOf(pg.DatabaseError);
    expect(await schemaVersions(db.pool, db.schema)).toEqual(ALL_VERSIONS);
    const half = await db.pool.query(`SELECT to_regclass($1) AS t`, [`${db.schema}.half_done`]);
    expect(half.rows[0].t).toBeNull();
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    expect(() => createPool({ connectionString: TEST_DATABASE_URL, schema: 'bad; DROP TABLE x' })).toThrow(DbError);
    const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
    cleanups.push(() => pool.end());
    await expect(migrate(pool, 'Upper-Case')).rejects.toMatchObject({ code: 'INVALID_SCHEMA_NAME' });
  });

  it('sets search_path on every connection of the pool', async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    const clients = await Promise.all([db.pool.connect(), db.pool.connect(), db.pool.connect()]);
    try {
      for (const client of clients) {
        const res = await client.query<{ schema: string }>('SELECT current_schema() AS schema');
        expect(res.rows[0]?.schema).toBe(db.schema);
      }
    } finally {
      for (const client of clients) client.release();
    }
  });
});
