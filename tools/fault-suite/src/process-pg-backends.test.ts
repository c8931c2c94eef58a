import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, TEST_DATABASE_URL, createTestDatabase } from '@scanner/data-maintenance/testing/test-database';
import { BackendFaultError, backendsOf, holdTransaction, terminateBackends, waitForBlockedBackend } from './process-pg-backends.js';

/** Against the real PostgreSQL: the tool must cut exactly the connections of one application_name. */
describe('process PostgreSQL backends', () => {
  let db: TestDatabase;
  const clients: pg.Client[] = [];
  const connect = async (applicationName: string) => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, application_name: applicationName });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    await db.pool.query(`CREATE SCHEMA "${db.schema}"`);
    await db.pool.query(`CREATE TABLE "${db.schema}".t (k int PRIMARY KEY)`);
  });
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await db.drop();
  });

  it('refuses a name that is not fault_<suffix>: terminating by a common name would reach other tests', async () => {
    await expect(backendsOf(db.pool, 'data-maintenance')).rejects.toMatchObject({ code: 'INVALID_APPLICATION_NAME' });
    await expect(terminateBackends(db.pool, 'fault_')).rejects.toBeInstanceOf(BackendFaultError);
  });

  it('finds a backend blocked mid-write, terminates every backend of the name and no other', async () => {
    const name = `fault_unit_${randomBytes(4).toString('hex')}`;
    const victim = await connect(name);
    const idle = await connect(name);
    const bystander = await connect(`fault_other_${randomBytes(4).toString('hex')}`);
    const lock = await holdTransaction(db.pool, [[`LOCK TABLE "${db.schema}".t IN SHARE MODE`]]);
    await victim.query('BEGIN');
    const write = victim.query(`INSERT INTO "${db.schema}".t VALUES (1)`).then(
      () => null,
      (error: unknown) => error,
    );
    const blocked = await waitForBlockedBackend(db.pool, name, /^INSERT INTO/, { timeoutMs: 10_000 });
    expect(blocked.waitEventType).toBe('Lock');

    const pids = await terminateBackends(db.pool, name);
    expect(pids).toHaveLength(2);
    expect(pids).toContain(blocked.pid);
    expect(await write).toMatchObject({ code: '57P01' });
    expect(await backendsOf(db.pool, name)).toEqual([]);
    await expect(idle.query('SELECT 1')).rejects.toThrow();
    expect((await bystander.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await lock.release();
    // The cut transaction left nothing behind.
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM "${db.schema}".t`)).rows).toEqual([{ n: 0 }]);
  });

  it('says so when nothing blocks in time', async () => {
    const name = `fault_unit_${randomBytes(4).toString('hex')}`;
    await connect(name);
    await expect(waitForBlockedBackend(db.pool, name, /INSERT/, { timeoutMs: 150 })).rejects.toMatchObject({ code: 'NOT_BLOCKED_IN_TIME' });
  });

  it('holds a transaction open until released, then rolls it back', async () => {
    const held = await holdTransaction(db.pool, [[`INSERT INTO "${db.schema}".t VALUES ($1)`, [7]]]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM "${db.schema}".t`)).rows).toEqual([{ n: 0 }]);
    const client = await connect(`fault_unit_${randomBytes(4).toString('hex')}`);
    await client.query('SET lock_timeout = 200');
    await expect(client.query(`INSERT INTO "${db.schema}".t VALUES (7)`)).rejects.toMatchObject({ code: '55P03' });
    await held.release();
    await held.release();
    await client.query(`INSERT INTO "${db.schema}".t VALUES (7)`);
    expect((await db.pool.query(`SELECT k FROM "${db.schema}".t`)).rows).toEqual([{ k: 7 }]);
  });
});
