import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPool, withTransaction } from '../../src/db/pool.js';
import { TEST_DATABASE_URL, createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Found by the fault suite (tools/fault-suite, pg-outage): a connection terminated by the server while a
 * client was checked out made pg emit 'error' on that client, which had no listener, and the unhandled
 * event crashed the whole process.
 */
describe('a pool whose checked-out connection is terminated by the server', () => {
  let db: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  afterEach(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('fails the statement under way, keeps the process alive, and serves the next query on a fresh connection', async () => {
    db = await createTestDatabase();
    const applicationName = `pool_lost_${randomBytes(4).toString('hex')}`;
    pool = createPool({ connectionString: TEST_DATABASE_URL, schema: db.schema, max: 2, applicationName });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const cut = withTransaction(pool, async (tx) => {
        await tx.query('SELECT pg_sleep(30)');
      }).then(
        () => null,
        (error: unknown) => error,
      );
      await expect.poll(async () => (await db?.pool.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND state = $2', [applicationName, 'active']))?.rowCount, { timeout: 10_000 }).toBe(1);
      await db.pool.query('SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
      expect(await cut).toMatchObject({ code: '57P01' });
      // The socket's end arrives after the statement's error: give it the turn it needs to surface.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(uncaught).toEqual([]);
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  }, 30_000);
});
