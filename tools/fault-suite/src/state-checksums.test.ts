import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from '@scanner/data-maintenance/testing/maintenance-harness';
import { type TestDatabase, createTestDatabase } from '@scanner/data-maintenance/testing/test-database';
import { HISTORY_TABLES, differences, duplicated, keyCounts, ledgerRuns, redisState, schemaChecksums, schemaTables, without } from './state-checksums.js';

/** Against the real PostgreSQL and Redis: a checksum that cannot see a difference would make every scenario pass. */
describe('state checksums', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  let redis: Redis;
  const prefix = `test:${randomBytes(6).toString('hex')}:`;

  beforeAll(async () => {
    a = await createTestDatabase();
    b = await createTestDatabase();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
  }, 30_000);
  afterAll(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await a.drop();
    await b.drop();
  });

  const atr = (db: TestDatabase, rows: Array<[string, number]>) =>
    db.pool.query(`INSERT INTO atr_daily (symbol, date, atr, atr_percent) SELECT s, '2026-11-20', v, v / 10 FROM unnest($1::text[], $2::float8[]) AS t(s, v)`, [
      rows.map((r) => r[0]),
      rows.map((r) => r[1]),
    ]);

  it('lists every table of the schema, partitions included, and only that schema', async () => {
    await a.pool.query(`CREATE TABLE volume_slots_p20261120 PARTITION OF volume_slots FOR VALUES FROM ('2026-11-20') TO ('2026-11-21')`);
    const tables = await schemaTables(a.pool, a.schema);
    expect(tables).toEqual(expect.arrayContaining(['market_data_daily', 'volume_slots', 'volume_slots_p20261120', 'maintenance_runs', 'schema_migrations']));
    expect(await schemaTables(a.pool, b.schema)).not.toContain('volume_slots_p20261120');
    await a.pool.query('DROP TABLE volume_slots_p20261120');
  });

  it('gives equal checksums for equal rows inserted in another order, and different ones for any change', async () => {
    await atr(a, [['AAA', 1.25], ['BBB', 2.5], ['CCC', 0.1]]);
    await atr(b, [['CCC', 0.1], ['AAA', 1.25], ['BBB', 2.5]]);
    // schema_migrations differs in applied_at only: not a difference.
    expect(differences(await schemaChecksums(a.pool, a.schema), await schemaChecksums(b.pool, b.schema))).toEqual([]);

    await b.pool.query(`UPDATE atr_daily SET atr = 0.1 + 1e-15 WHERE symbol = 'CCC'`);
    expect(differences(await schemaChecksums(a.pool, a.schema), await schemaChecksums(b.pool, b.schema)).map((d) => d.name)).toEqual(['atr_daily']);
    await b.pool.query(`UPDATE atr_daily SET atr = 0.1 WHERE symbol = 'CCC'`);
    await b.pool.query(`DELETE FROM atr_daily WHERE symbol = 'BBB'`);
    const gone = differences(await schemaChecksums(a.pool, a.schema), await schemaChecksums(b.pool, b.schema));
    expect(gone).toEqual([{ name: 'atr_daily', actual: expect.objectContaining({ rows: 3 }), expected: expect.objectContaining({ rows: 2 }) }]);
    await atr(b, [['BBB', 2.5]]);

    // The ledgers are left to a scenario's own assertions.
    await a.pool.query(`INSERT INTO maintenance_runs (date, trigger, tasks, status, started_at) VALUES ('2026-11-20', 'cli', '{load_ohlc}', 'running', now())`);
    const withLedger = differences(await schemaChecksums(a.pool, a.schema), await schemaChecksums(b.pool, b.schema));
    expect(withLedger.map((d) => d.name)).toEqual(['maintenance_runs']);
    expect(differences(without(await schemaChecksums(a.pool, a.schema), HISTORY_TABLES), without(await schemaChecksums(b.pool, b.schema), HISTORY_TABLES))).toEqual([]);
  });

  it('counts rows against distinct primary keys, and whole rows where a table has no key', async () => {
    const counts = await keyCounts(a.pool, a.schema);
    expect(counts.find((c) => c.table === 'atr_daily')).toEqual({ table: 'atr_daily', key: ['symbol', 'date'], rows: 3, distinctKeys: 3 });
    expect(duplicated(counts)).toEqual([]);
    await a.pool.query('CREATE TABLE no_key (symbol text, n int)');
    await a.pool.query(`INSERT INTO no_key VALUES ('AAA', 1), ('AAA', 1), ('BBB', 1)`);
    expect(duplicated(await keyCounts(a.pool, a.schema))).toEqual([{ table: 'no_key', key: [], rows: 3, distinctKeys: 2 }]);
    await a.pool.query('DROP TABLE no_key');
  });

  it('dumps the Redis keys of the prefix only, with the temporary keys and their TTLs apart', async () => {
    await redis.set(`${prefix}maintenance:last_run`, '2026-11-20');
    await redis.hset(`${prefix}atr:data:AAA`, { atr: '1.25', date: '2026-11-20' });
    await redis.expire(`${prefix}atr:data:AAA`, 3600);
    await redis.sadd(`${prefix}ticker:universe`, 'BBB', 'AAA');
    await redis.set(`${prefix}tmp:run1-x:ticker:universe`, 'half', 'EX', 60);
    const other = `test:${randomBytes(6).toString('hex')}:`;
    await redis.set(`${other}maintenance:last_run`, 'x', 'EX', 60);
    const state = await redisState(redis, prefix);
    expect(state.keys).toEqual({
      'atr:data:AAA': { type: 'hash', value: { atr: '1.25', date: '2026-11-20' }, hasTtl: true },
      'maintenance:last_run': { type: 'string', value: '2026-11-20', hasTtl: false },
      'ticker:universe': { type: 'set', value: ['AAA', 'BBB'], hasTtl: false },
    });
    expect(Object.keys(state.temporary)).toEqual(['tmp:run1-x:ticker:universe']);
    expect(state.temporary['tmp:run1-x:ticker:universe']).toBeGreaterThan(0);
    await redis.hset(`${prefix}atr:data:AAA`, 'atr', '1.26');
    expect(differences((await redisState(redis, prefix)).keys, state.keys).map((d) => d.name)).toEqual(['atr:data:AAA']);
    await redis.del(`${other}maintenance:last_run`);
  });

  it('reads the ledger of a date with its task rows in start order', async () => {
    const run = await b.pool.query<{ id: number }>(
      `INSERT INTO maintenance_runs (date, trigger, tasks, status, started_at) VALUES ('2026-11-20', 'catch_up', '{load_ohlc,load_volume_slots}', 'failed', now()) RETURNING run_id::int AS id`,
    );
    const id = run.rows[0]?.id;
    await b.pool.query(
      `INSERT INTO maintenance_task_runs (run_id, task, status, attempt, started_at, error) VALUES
       ($1, 'load_volume_slots', 'failed', 1, now() + interval '1 second', 'boom'), ($1, 'load_ohlc', 'completed', 1, now(), null)`,
      [id],
    );
    expect(await ledgerRuns(b.pool, b.schema, '2026-11-20')).toEqual([
      {
        runId: id,
        trigger: 'catch_up',
        status: 'failed',
        tasks: ['load_ohlc', 'load_volume_slots'],
        error: null,
        taskRuns: [
          { task: 'load_ohlc', status: 'completed', attempt: 1, error: null },
          { task: 'load_volume_slots', status: 'failed', attempt: 1, error: 'boom' },
        ],
      },
    ]);
    expect(await ledgerRuns(b.pool, b.schema, '2026-11-19')).toEqual([]);
  });
});
