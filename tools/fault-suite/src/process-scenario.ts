import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from '@scanner/data-maintenance/testing/maintenance-harness';
import { type TestDatabase, TEST_DATABASE_URL, createTestDatabase } from '@scanner/data-maintenance/testing/test-database';
import { type CycleTimeline, cycleTimeline } from './process-kill-plan.js';
import { type MaintenanceProcess, serviceEnvironment, startMaintenanceService, timeline } from './process-maintenance-service.js';
import {
  type KeyCount,
  type LedgerRun,
  type RedisState,
  type TableChecksum,
  keyCounts,
  latestTaskStatus,
  ledgerRuns,
  redisState,
  schemaChecksums,
} from './state-checksums.js';

/**
 * What a process scenario stands on: its own PostgreSQL schema (left for the service to migrate), its
 * own Redis prefix, and an application_name no other client uses.
 */
export interface ScenarioState {
  readonly db: TestDatabase;
  readonly redis: Redis;
  readonly prefix: string;
  readonly applicationName: string;
  /** The service's environment for this schema and prefix. */
  readonly env: Record<string, string>;
  /** Deletes the prefix's keys, drops the schema, closes the clients. */
  cleanup(): Promise<void>;
}

/** `migrate: false` leaves the schema to the service (a kill can then land in its migration). */
export async function freshScenarioState(tag: string, universe: number, options: { readonly migrate?: boolean } = {}): Promise<ScenarioState> {
  const db = await createTestDatabase({ migrate: options.migrate ?? false, max: 12 });
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  const applicationName = `fault_${tag}_${randomBytes(4).toString('hex')}`;
  const env = serviceEnvironment({ databaseUrl: TEST_DATABASE_URL, applicationName, schema: db.schema, redisUrl: TEST_REDIS_URL, prefix, universe });
  return {
    db,
    redis,
    prefix,
    applicationName,
    env,
    async cleanup() {
      try {
        await deleteKeysWithPrefix(redis, prefix);
      } finally {
        redis.disconnect();
        await db.drop();
      }
    },
  };
}

/** The state a scenario compares: every table's checksum, key counts, and the Redis keys. */
export interface CycleState {
  readonly tables: Record<string, TableChecksum>;
  readonly keyCounts: KeyCount[];
  readonly redis: RedisState;
}

export async function captureState(s: ScenarioState): Promise<CycleState> {
  return { tables: await schemaChecksums(s.db.pool, s.db.schema), keyCounts: await keyCounts(s.db.pool, s.db.schema), redis: await redisState(s.redis, s.prefix) };
}

/** The date's ledger; none before the service has migrated the schema (a kill can land before it does). */
export async function ledgerOf(s: ScenarioState, date: string): Promise<LedgerRun[]> {
  const exists = await s.db.pool.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', [s.db.schema, 'maintenance_runs']);
  return exists.rowCount === 0 ? [] : ledgerRuns(s.db.pool, s.db.schema, date);
}

/** The date's ledger once its latest run is recorded completed with every task's latest attempt completed. */
export async function cycleCompleted(s: ScenarioState, date: string): Promise<LedgerRun[] | null> {
  const runs = await ledgerOf(s, date);
  const latest = latestTaskStatus(runs);
  const done = runs.at(-1)?.status === 'completed' && MAINTENANCE_TASKS.every((t) => latest.get(t) === 'completed');
  return done ? runs : null;
}

/** Polls `check` until it returns a value (not null/undefined) or the deadline passes. */
export async function pollFor<T>(what: string, check: () => Promise<T | null | undefined>, timeoutMs: number, intervalMs = 50): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface UndisturbedRun {
  readonly state: CycleState;
  readonly runs: LedgerRun[];
  /** The cycle as the undisturbed process logged it: where a kill can land. */
  readonly timeline: CycleTimeline;
  /** From `service_starting` (clients open) to the cycle's start: migrations, the lock, the catch-up pass. */
  readonly startupMs: number;
  /** From spawn to the cycle recorded completed. */
  readonly wallMs: number;
}

/**
 * The same service, same environment, same instant, left alone: it catches the date up, and its final
 * state is what every disturbed run must end in. Stopped with SIGTERM, which must exit 0.
 */
export async function runUndisturbed(s: ScenarioState, nowIso: string, date: string, timeoutMs = 40_000): Promise<UndisturbedRun> {
  const began = performance.now();
  const service: MaintenanceProcess = startMaintenanceService(s.env, timeline(nowIso)());
  try {
    const runs = await pollFor('the undisturbed cycle', () => cycleCompleted(s, date), timeoutMs);
    const wallMs = performance.now() - began;
    const exit = await service.stop('SIGTERM');
    if (exit.code !== 0) throw new Error(`the undisturbed service exited ${JSON.stringify(exit)}:\n${service.stderr()}`);
    const events = service.events();
    const cycle = cycleTimeline(events);
    const starting = events.find((e) => e['event'] === 'service_starting');
    const startupMs = cycle.startedAt - Date.parse(typeof starting?.['time'] === 'string' ? starting['time'] : '');
    if (Number.isNaN(startupMs)) throw new Error('the undisturbed service logged no service_starting');
    return { state: await captureState(s), runs, timeline: cycle, startupMs, wallMs };
  } finally {
    await service.stop('SIGKILL');
  }
}
