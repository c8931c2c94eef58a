import type { IsoDate } from '@scanner/market-calendar';
import type { TickerKeyFamily } from '@scanner/redis-keys';
import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { lastClosedSession } from '../cli/parse-cli.js';
import { readLatestAtr } from '../db/atr-daily.js';
import { datesFullyCompleted } from '../db/run-ledger.js';
import { activeSymbols, readMetadata } from '../db/ticker-metadata.js';
import { readAverages } from '../db/volume-slot-averages.js';
import { TICKER_KEY_FAMILIES } from '../redis/ticker-key-families.js';
import { redisTarget } from '../tasks/redis-target.js';
import type { TaskContext } from '../tasks/task-context.js';
import { errorInfo } from '../tasks/task-result.js';
import type { JobOutcome } from './job-runner.js';

export type HealthCheckDeps = Pick<TaskContext, 'pool' | 'redis' | 'keys' | 'calendar' | 'clock' | 'logger' | 'settings' | 'redisChunkSize'> & {
  /** Sessions back searched for the latest fully completed cycle. */
  readonly sessions: number;
  /** Universe members checked per pass (SRANDMEMBER). */
  readonly sampleSize?: number;
};

/** What Redis holds compared with the database. */
export interface RedisDataFinding {
  /** false: Redis lost data the database can give back. */
  readonly ok: boolean;
  readonly universe: number;
  readonly sampled: number;
  /** Sampled members without a key of the family although the database has its row. */
  readonly missing: Readonly<Record<TickerKeyFamily, number>>;
  readonly reason: string | null;
}

export interface HealthCheckReport {
  readonly at: string;
  readonly finding: RedisDataFinding | null;
  /** The sync_redis repair run, when one was needed. */
  readonly repair: { readonly date: IsoDate | null; readonly status: JobOutcome['status'] | 'not_possible'; readonly reason: string | null } | null;
  /** The check itself failed (Redis or PostgreSQL unreachable). */
  readonly error: string | null;
}

const DEFAULT_SAMPLE = 50;

/**
 * Whether Redis lost the caches: an empty universe while the database has active symbols, or sampled
 * universe members lacking a per-ticker key that the database could write. A symbol the database has
 * no row for (too little history for an ATR, no details) is not missing anything: sync_redis could not
 * write it either, and counting it would repair in a loop.
 */
export async function inspectRedisData(deps: HealthCheckDeps): Promise<RedisDataFinding> {
  const none = { tickerMetadata: 0, atrData: 0, rvolHistAvg: 0 };
  const universe = await deps.redis.scard(deps.keys.tickerUniverse);
  if (universe === 0) {
    const active = (await activeSymbols(deps.pool)).length;
    if (active === 0) return { ok: true, universe, sampled: 0, missing: none, reason: null };
    return { ok: false, universe, sampled: 0, missing: none, reason: `ticker:universe is empty while the database has ${active} active symbols` };
  }
  const sample = await deps.redis.srandmember(deps.keys.tickerUniverse, deps.sampleSize ?? DEFAULT_SAMPLE);
  const pipeline = deps.redis.pipeline();
  for (const symbol of sample) for (const family of TICKER_KEY_FAMILIES) pipeline.exists(deps.keys[family](symbol));
  const replies = (await pipeline.exec()) ?? [];
  const absent = new Map<TickerKeyFamily, string[]>(TICKER_KEY_FAMILIES.map((f) => [f, []]));
  sample.forEach((symbol, i) => {
    TICKER_KEY_FAMILIES.forEach((family, j) => {
      const [error, exists] = replies[i * TICKER_KEY_FAMILIES.length + j] ?? [null, 1];
      if (error) throw error;
      if (exists === 0) absent.get(family)?.push(symbol);
    });
  });
  const inDatabase = async (family: TickerKeyFamily, symbols: readonly string[]): Promise<number> => {
    if (symbols.length === 0) return 0;
    if (family === 'tickerMetadata') return (await readMetadata(deps.pool, symbols)).size;
    if (family === 'atrData') return (await readLatestAtr(deps.pool, symbols)).size;
    return (await readAverages(deps.pool, symbols)).size;
  };
  const missing = { ...none };
  for (const family of TICKER_KEY_FAMILIES) missing[family] = await inDatabase(family, absent.get(family) ?? []);
  const lacking = Object.entries(missing).filter(([, n]) => n > 0);
  return {
    ok: lacking.length === 0,
    universe,
    sampled: sample.length,
    missing,
    reason: lacking.length === 0 ? null : `sampled universe members lack keys the database has: ${lacking.map(([f, n]) => `${f} ${n}`).join(', ')}`,
  };
}

/** The newest of the last `sessions` closed sessions whose every task has completed, or null. */
export async function latestCompletedSession(deps: Pick<HealthCheckDeps, 'pool' | 'calendar' | 'clock' | 'sessions'>): Promise<IsoDate | null> {
  const recent = deps.calendar.lastSessions(deps.sessions, lastClosedSession({ calendar: deps.calendar, now: deps.clock.now() }));
  const done = await datesFullyCompleted(deps.pool, recent, MAINTENANCE_TASKS);
  return [...done].sort().at(-1) ?? null;
}

export interface RedisHealthCheck {
  /** One check (and repair when needed); null when the previous one is still under way. */
  run(): Promise<HealthCheckReport | null>;
  last(): HealthCheckReport | null;
}

/**
 * The health check of issue 5: when Redis lost its data, `repair` runs sync_redis for the latest fully
 * completed session (the job runner, under the data lock), and the data is inspected again. It never
 * overlaps itself and never throws: a failure is in its report and its log.
 */
export function createRedisHealthCheck(deps: HealthCheckDeps, repair: (date: IsoDate) => Promise<JobOutcome>): RedisHealthCheck {
  let under: Promise<HealthCheckReport> | null = null;
  let latest: HealthCheckReport | null = null;
  const log = deps.logger.child({ check: 'redis_data' });

  const check = async (): Promise<HealthCheckReport> => {
    const at = deps.clock.now().toISOString();
    const finding = await inspectRedisData(deps);
    if (finding.ok) return { at, finding, repair: null, error: null };
    const date = await latestCompletedSession(deps);
    const notPossible = (reason: string): HealthCheckReport => {
      log.warn({ event: 'redis_data_missing', ...finding, repair: false, repair_reason: reason }, `Redis lost data; no repair: ${reason}`);
      return { at, finding, repair: { date, status: 'not_possible', reason }, error: null };
    };
    if (date === null) return notPossible(`no session of the last ${deps.sessions} has a completed cycle; catch-up rebuilds the caches`);
    const target = await redisTarget({ ...deps, runToken: 'health-check' }, date);
    if (!target.write) return notPossible(target.reason);
    log.warn({ event: 'redis_data_missing', ...finding, repair: true, date }, `Redis lost data: ${finding.reason ?? ''}; running sync_redis for ${date}`);
    const outcome = await repair(date);
    if (outcome.status !== 'completed') {
      log.warn({ event: 'redis_repair_not_done', date, status: outcome.status }, `sync_redis for ${date} ${outcome.status}; the next check retries`);
      return { at, finding, repair: { date, status: outcome.status, reason: null }, error: null };
    }
    const after = await inspectRedisData(deps);
    if (after.ok) log.info({ event: 'redis_data_restored', date, universe: after.universe, sampled: after.sampled }, `Redis data restored from the ${date} tables`);
    else log.warn({ event: 'redis_data_still_missing', date, ...after }, `Redis data still missing after sync_redis: ${after.reason ?? ''}`);
    return { at, finding: after, repair: { date, status: outcome.status, reason: after.reason }, error: null };
  };

  return {
    run() {
      if (under !== null) return Promise.resolve(null);
      under = check()
        .catch((error: unknown): HealthCheckReport => {
          const { code, message } = errorInfo(error);
          log.error({ event: 'health_check_failed', code, reason: message }, `health check failed: ${message}`);
          return { at: deps.clock.now().toISOString(), finding: null, repair: null, error: `${code}: ${message}` };
        })
        .then((report) => {
          latest = report;
          under = null;
          return report;
        });
      return under;
    },
    last: () => latest,
  };
}
