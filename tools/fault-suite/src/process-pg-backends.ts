import type pg from 'pg';

/**
 * PostgreSQL faults aimed at one process: its backends are found by the `application_name` it connects
 * with (the maintenance service takes it from `DATABASE_URL?application_name=`), so a scenario cuts that
 * process's connections and nobody else's on a server other tests share. Restarting the server is not an
 * option for the same reason.
 */

export interface Backend {
  readonly pid: number;
  readonly state: string | null;
  readonly waitEventType: string | null;
  readonly waitEvent: string | null;
  readonly query: string;
}

export class BackendFaultError extends Error {
  override readonly name = 'BackendFaultError';
  constructor(
    readonly code: 'INVALID_APPLICATION_NAME' | 'NOT_BLOCKED_IN_TIME' | 'NOT_TERMINATED',
    message: string,
  ) {
    super(message);
  }
}

/** A name no other client uses: terminating by it must never reach another test's connections. */
function checkName(applicationName: string): string {
  if (!/^fault_[a-z0-9_]{6,50}$/.test(applicationName)) {
    throw new BackendFaultError('INVALID_APPLICATION_NAME', `expected fault_<unique suffix>, got "${applicationName}"`);
  }
  return applicationName;
}

export async function backendsOf(db: pg.Pool, applicationName: string): Promise<Backend[]> {
  const res = await db.query<Backend>(
    `SELECT pid, state, wait_event_type AS "waitEventType", wait_event AS "waitEvent", coalesce(query, '') AS query
     FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid() ORDER BY pid`,
    [checkName(applicationName)],
  );
  return res.rows;
}

/**
 * pg_terminate_backend on every backend of the process at once, then waits (up to 5 s) until they are
 * gone, so that when this returns their open transactions are rolled back. Returns the pids terminated.
 */
export async function terminateBackends(db: pg.Pool, applicationName: string): Promise<number[]> {
  // CASE, not AND: SQL does not promise to test the name before calling the function on a row.
  const res = await db.query<{ pid: number; signalled: boolean | null }>(
    `SELECT pid, CASE WHEN application_name = $1 AND pid <> pg_backend_pid() THEN pg_terminate_backend(pid) END AS signalled
     FROM pg_stat_activity WHERE application_name = $1`,
    [checkName(applicationName)],
  );
  const pids = res.rows.filter((r) => r.signalled === true).map((r) => r.pid);
  const deadline = performance.now() + 5000;
  for (;;) {
    const left = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[])', [pids]);
    if (left.rowCount === 0) return pids;
    if (performance.now() > deadline) {
      throw new BackendFaultError('NOT_TERMINATED', `backends ${left.rows.map((r) => r.pid).join(', ')} did not end within 5 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Waits until a backend of the process is blocked on a lock while running a statement that matches
 * `statement`: the moment to cut it, mid-write, inside its transaction.
 */
export async function waitForBlockedBackend(
  db: pg.Pool,
  applicationName: string,
  statement: RegExp,
  options: { readonly timeoutMs?: number; readonly intervalMs?: number } = {},
): Promise<Backend> {
  const deadline = performance.now() + (options.timeoutMs ?? 30_000);
  let seen: Backend[] = [];
  while (performance.now() < deadline) {
    seen = await backendsOf(db, applicationName);
    const blocked = seen.find((b) => b.waitEventType === 'Lock' && statement.test(b.query));
    if (blocked !== undefined) return blocked;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
  const summary = seen.map((b) => `${b.pid} ${b.state ?? '-'} ${b.waitEventType ?? '-'} ${b.query.slice(0, 60)}`).join('; ');
  throw new BackendFaultError('NOT_BLOCKED_IN_TIME', `no backend of ${applicationName} blocked on ${statement} in time; backends: ${summary || 'none'}`);
}

/** A transaction the scenario holds open to block the process at a chosen statement; `release` rolls it back. */
export interface HeldTransaction {
  release(): Promise<void>;
}

/**
 * Opens a transaction on a client of its own, runs `statements` in it and keeps it open: a
 * `LOCK TABLE ... IN SHARE MODE` blocks every writer of the table (readers pass); an uncommitted INSERT
 * of a key the process is about to COPY blocks that COPY in the middle, with the rows before it written.
 */
export async function holdTransaction(pool: pg.Pool, statements: ReadonlyArray<readonly [sql: string, params?: readonly unknown[]]>): Promise<HeldTransaction> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const [sql, params] of statements) await client.query(sql, params === undefined ? undefined : [...params]);
  } catch (error) {
    client.release(true);
    throw error;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch (error) {
        client.release(true);
        throw error;
      }
    },
  };
}
