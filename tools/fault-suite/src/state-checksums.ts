import type { Redis } from 'ioredis';
import type pg from 'pg';
import { quoteIdent } from '@scanner/data-maintenance';
import { dumpKeys, withoutTtl } from '@scanner/data-maintenance/testing/maintenance-harness';
import { type KeyCount, type KeyState, type TableChecksum, splitTemporary } from './state-checksums-diff.js';
import type { LedgerRun, LedgerTaskRun } from './state-checksums-ledger.js';

export { type LedgerRun, type LedgerTaskRun, completedAttempts, latestTaskStatus } from './state-checksums-ledger.js';
export { type Difference, type KeyCount, type KeyState, type TableChecksum, differences, duplicated, without } from './state-checksums-diff.js';

/**
 * The ledgers record when and how often something ran, which a disturbed run changes by design; a
 * scenario compares them with assertions of its own. `schema_migrations` is compared without its
 * `applied_at` (the versions applied must match, not when).
 */
export const HISTORY_TABLES = ['maintenance_runs', 'maintenance_task_runs', 'maintenance_job_runs'] as const;
const COLUMNS_COMPARED: Readonly<Record<string, readonly string[]>> = { schema_migrations: ['version', 'name'] };

/** The base and partitioned tables of a schema, partitions included (so the set of partitions is compared too). */
export async function schemaTables(db: pg.Pool, schema: string): Promise<string[]> {
  const res = await db.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
    [schema],
  );
  return res.rows.map((r) => r.table);
}

/**
 * Every table of the schema: its row count and the md5 of its rows' text forms in sorted order. Float
 * columns print exactly (PostgreSQL 12+), so equal checksums mean equal data. Generic on purpose: a table
 * a later migration adds is compared without anyone remembering to list it.
 */
export async function schemaChecksums(db: pg.Pool, schema: string): Promise<Record<string, TableChecksum>> {
  const out: Record<string, TableChecksum> = {};
  for (const table of await schemaTables(db, schema)) {
    const columns = COLUMNS_COMPARED[table];
    const row = columns === undefined ? 't' : `(${columns.map((c) => `t.${quoteIdent(c)}`).join(', ')})`;
    const res = await db.query<TableChecksum>(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(${row}::text, E'\\n' ORDER BY ${row}::text), '')) AS md5
       FROM ${quoteIdent(schema)}.${quoteIdent(table)} t`,
    );
    out[table] = res.rows[0] as TableChecksum;
  }
  return out;
}

/**
 * For every table: rows against distinct primary keys (or distinct whole rows where there is no primary
 * key). A retried COPY that doubled a day, or a resumed task that appended instead of replacing, shows here.
 */
export async function keyCounts(db: pg.Pool, schema: string): Promise<KeyCount[]> {
  const out: KeyCount[] = [];
  for (const table of await schemaTables(db, schema)) {
    const pk = await db.query<{ column: string }>(
      `SELECT a.attname AS column FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
       WHERE n.nspname = $1 AND c.relname = $2 AND i.indisprimary ORDER BY k.ord`,
      [schema, table],
    );
    const key = pk.rows.map((r) => r.column);
    const distinct = key.length === 0 ? 't::text' : `(${key.map((c) => `t.${quoteIdent(c)}`).join(', ')})`;
    const res = await db.query<{ rows: number; distinct: number }>(
      `SELECT count(*)::int AS rows, count(DISTINCT ${distinct})::int AS distinct FROM ${quoteIdent(schema)}.${quoteIdent(table)} t`,
    );
    const counts = res.rows[0] as { rows: number; distinct: number };
    out.push({ table, key, rows: counts.rows, distinctKeys: counts.distinct });
  }
  return out;
}

export interface RedisState {
  /** Every key under the prefix but the temporary ones, prefix stripped (maintenance-harness `dumpKeys`). */
  readonly keys: Record<string, KeyState>;
  /** `tmp:` keys left by a writer that died mid-build, with their TTL in seconds (-1: none). */
  readonly temporary: Record<string, number>;
}

/**
 * The Redis side of the state: the app's own test dump (values, types, TTL presence; the status record
 * reduced to what the run did), with temporary keys set apart.
 */
export async function redisState(redis: Redis, prefix: string): Promise<RedisState> {
  const { kept, temporary } = splitTemporary(await dumpKeys(redis, prefix));
  return { keys: withoutTtl(kept), temporary: Object.fromEntries(temporary) };
}

/**
 * Every run of the date, oldest first, with its task rows: read with plain SQL, not through the app's
 * ledger module, so a bug in how the app reads its ledger cannot hide one in what it wrote.
 */
export async function ledgerRuns(db: pg.Pool, schema: string, date: string): Promise<LedgerRun[]> {
  const s = quoteIdent(schema);
  const runs = await db.query<Omit<LedgerRun, 'taskRuns'>>(
    `SELECT run_id::int AS "runId", trigger, status, tasks, error FROM ${s}.maintenance_runs WHERE date = $1 ORDER BY run_id`,
    [date],
  );
  const tasks = await db.query<LedgerTaskRun & { runId: number }>(
    `SELECT tr.run_id::int AS "runId", tr.task, tr.status, tr.attempt, tr.error
     FROM ${s}.maintenance_task_runs tr JOIN ${s}.maintenance_runs r ON r.run_id = tr.run_id
     WHERE r.date = $1 ORDER BY tr.run_id, tr.started_at, tr.task`,
    [date],
  );
  return runs.rows.map((run) => ({
    ...run,
    taskRuns: tasks.rows.filter((t) => t.runId === run.runId).map(({ task, status, attempt, error }) => ({ task, status, attempt, error })),
  }));
}

