import {
  type CycleDeps,
  type CycleOptions,
  type CycleOutcome,
  LockHeldError,
  SyntheticMarketDataSource,
  replaceDailyBars,
  runCycle,
  withRunnerLock,
} from '@scanner/data-maintenance';
import { type Harness, type KeyDump, createHarness, dataChecksums, dumpKeys, withoutTtl } from '@scanner/data-maintenance/testing/maintenance-harness';
import { type IsoDate, nyseCalendar } from '@scanner/market-calendar';
import { Redis } from 'ioredis';
import type { TcpProxy } from './tcp-proxy.js';

/** A Friday: the cycle of the session whose caches must last over the weekend. */
export const CYCLE_DATE: IsoDate = '2026-11-20';

/**
 * A harness (own PostgreSQL schema, own Redis prefix, synthetic source) whose database already holds
 * `sessions` daily bars before the date, so ATR is computed and every per-ticker key family is written,
 * without paying for a whole backfill.
 */
export async function seededHarness(universeSize: number, sessions = 20): Promise<Harness> {
  const h = await createHarness({ source: new SyntheticMarketDataSource({ universeSize, seed: 11 }), evening: CYCLE_DATE });
  try {
    for (const date of nyseCalendar.lastSessions(sessions + 1, CYCLE_DATE).slice(0, -1)) {
      await replaceDailyBars(h.db.pool, date, await h.source.dailyBars(date));
    }
  } catch (error) {
    await h.close();
    throw error;
  }
  return h;
}

/**
 * A Redis client through `proxy`, with the options the maintenance service gives its own
 * (apps/data-maintenance/src/open-clients.ts): the production retry behaviour is what is under test.
 */
export function proxiedRedis(proxy: TcpProxy): Redis {
  const redis = new Redis(proxy.redisUrl, { maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  return redis;
}

/** What a cycle left behind that readers and the next run see: tables, cache keys, the status record. */
export interface CycleState {
  readonly tables: Record<string, { rows: number; md5: string }>;
  readonly keys: Record<string, { type: string; value: unknown; hasTtl: boolean }>;
  readonly ttls: ReadonlyMap<string, KeyDump>;
}

export async function cycleState(h: Harness): Promise<CycleState> {
  const dump = await dumpKeys(h.redis, h.keys.prefix);
  return { tables: await dataChecksums(h.db), keys: withoutTtl(dump), ttls: dump };
}

/** Keys whose TTLs differ by more than a minute (both runs used the same clock instant; Redis counts down in real time). */
export function ttlMismatches(a: CycleState, b: CycleState): string[] {
  const out: string[] = [];
  for (const [key, dump] of a.ttls) {
    const other = b.ttls.get(key)?.ttl;
    if (other === undefined || (dump.ttl < 0 ? other !== dump.ttl : Math.abs(other - dump.ttl) > 60)) out.push(key);
  }
  return out;
}

export type LockedRun =
  | { readonly kind: 'returned'; readonly outcome: CycleOutcome }
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'lock_held' };

/** What `run --date` does (the cycle under the single-runner lock), with whatever happened as a value. */
export async function runLocked(deps: CycleDeps, options: Omit<CycleOptions, 'lease' | 'date' | 'tasks' | 'trigger'> & { leaseMs: number }): Promise<LockedRun> {
  const { leaseMs, ...rest } = options;
  try {
    const outcome = await withRunnerLock(deps, (lease) => runCycle(deps, { ...rest, date: CYCLE_DATE, tasks: null, trigger: 'fault_suite', lease }), { leaseMs });
    return { kind: 'returned', outcome };
  } catch (error) {
    if (error instanceof LockHeldError) return { kind: 'lock_held' };
    return { kind: 'threw', error };
  }
}

/**
 * Runs again until a run gets the lock, as the service's catch-up does: a holder that died mid-outage
 * keeps the lock until its lease lapses.
 */
export async function runWhenLockFree(deps: CycleDeps, leaseMs: number, timeoutMs: number): Promise<Exclude<LockedRun, { kind: 'lock_held' }> & { attempts: number }> {
  const deadline = Date.now() + timeoutMs;
  for (let attempts = 1; ; attempts++) {
    const run = await runLocked(deps, { leaseMs });
    if (run.kind !== 'lock_held') return { ...run, attempts };
    if (Date.now() > deadline) throw new Error(`the lock was still held after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(250, leaseMs / 4)));
  }
}

export interface LedgerRun {
  readonly runId: number;
  readonly status: string;
  readonly error: string | null;
  readonly tasks: Record<string, string>;
}

/** Every run of the cycle date, oldest first, with each task's status. */
export async function ledgerRuns(h: Harness): Promise<LedgerRun[]> {
  const runs = await h.db.pool.query<{ run_id: number; status: string; error: string | null }>(
    'SELECT run_id::int AS run_id, status, error FROM maintenance_runs WHERE date = $1 ORDER BY run_id',
    [CYCLE_DATE],
  );
  const tasks = await h.db.pool.query<{ run_id: number; task: string; status: string }>(
    'SELECT run_id::int AS run_id, task, status FROM maintenance_task_runs ORDER BY run_id, started_at, task',
  );
  return runs.rows.map((r) => ({
    runId: r.run_id,
    status: r.status,
    error: r.error,
    tasks: Object.fromEntries(tasks.rows.filter((t) => t.run_id === r.run_id).map((t) => [t.task, t.status])),
  }));
}
