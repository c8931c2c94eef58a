import pg from 'pg';
import { checkSchemaName } from './identifiers.js';

/** Anything that runs a query: a pool (one statement per checkout) or a checked-out client. */
export type Db = pg.Pool | pg.PoolClient;

declare const inTransaction: unique symbol;
/** A client inside `withTransaction`: the type says a BEGIN is open, so writes can rely on it. */
export type TxClient = pg.PoolClient & { readonly [inTransaction]: true };

/**
 * What a write that must be atomic accepts: a pool (it opens its own transaction) or a client already
 * inside one (it joins the caller's). A bare client is refused by the type, because a multi-statement
 * replace on a client in autocommit would not be atomic.
 */
export type Transactional = pg.Pool | TxClient;

export interface PoolOptions {
  /** postgres://user@host:port/database */
  readonly connectionString: string;
  /** Every table lives here; each connection's search_path is set to it. `migrate` creates it. */
  readonly schema: string;
  /** Default 10. */
  readonly max?: number;
  /** Shows in pg_stat_activity. Default `data-maintenance`. */
  readonly applicationName?: string;
  /** Server-side statement timeout; default none (bulk loads of a whole market can be long). */
  readonly statementTimeoutMs?: number;
  /** Default 30 s. */
  readonly idleTimeoutMs?: number;
  /** An idle client lost its connection (server restart). Without a listener pg would crash the process. */
  readonly onIdleClientError?: (error: Error) => void;
}

/**
 * A pg pool whose every connection has `search_path` set to the schema at connection start-up (the
 * `options` startup parameter), so there is no window in which a fresh connection sees another schema.
 */
export function createPool(options: PoolOptions): pg.Pool {
  const schema = checkSchemaName(options.schema);
  const settings = [`-c search_path=${schema}`];
  if (options.statementTimeoutMs !== undefined) settings.push(`-c statement_timeout=${Math.trunc(options.statementTimeoutMs)}`);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    options: settings.join(' '),
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'data-maintenance',
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
  });
  pool.on('error', options.onIdleClientError ?? (() => undefined));
  // A checked-out client whose connection dies (pg_terminate_backend, a server restart) emits 'error', and
  // pg-pool listens only on idle ones: unheard, it crashed the whole process. The query in flight has
  // already failed with the error and the caller handles it; the dead client is discarded on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** BEGIN; fn; COMMIT — or ROLLBACK and rethrow. A client whose ROLLBACK fails is destroyed, not reused. */
export async function withTransaction<T>(pool: pg.Pool, fn: (tx: TxClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client as TxClient);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Runs `fn` atomically: in a new transaction on a pool, or inside the caller's on a `TxClient`. */
export function atomically<T>(db: Transactional, fn: (tx: TxClient) => Promise<T>): Promise<T> {
  return db instanceof pg.Pool ? withTransaction(db, fn) : fn(db);
}
