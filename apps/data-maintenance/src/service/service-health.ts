import type { Redis } from 'ioredis';
import type { HealthReport } from '../http/control-port.js';
import type { Db } from '../db/pool.js';
import { errorInfo } from '../tasks/task-result.js';
import type { HealthCheckReport } from './redis-health-check.js';

/** How long /health waits for each of PostgreSQL and Redis. */
const PROBE_TIMEOUT_MS = 2000;

export interface HealthSources {
  readonly pool: Db;
  readonly redis: Redis;
  /** The last Redis data check (null before the first). */
  readonly lastDataCheck: HealthCheckReport | null;
  readonly stopping: boolean;
}

/**
 * `GET /health`: ok while PostgreSQL and Redis answer and the service is not stopping. The Redis data
 * check is reported but does not make the service unhealthy: it repairs itself, and a restart would not
 * help.
 */
export async function serviceHealth(s: HealthSources): Promise<HealthReport> {
  const [postgres, redis] = await Promise.all([probe(() => s.pool.query('SELECT 1')), probe(() => s.redis.ping())]);
  const report = s.lastDataCheck;
  const data = report?.finding;
  const redisData = {
    ok: report === null || (report.error === null && data?.ok !== false),
    detail: report === null ? 'not checked yet' : (report.error ?? data?.reason ?? `universe ${data?.universe ?? 0}, ${data?.sampled ?? 0} sampled at ${report.at}`),
  };
  const service = { ok: !s.stopping, detail: s.stopping ? 'shutting down' : null };
  return { ok: postgres.ok && redis.ok && service.ok, checks: { postgres, redis, redis_data: redisData, service } };
}

async function probe(fn: () => Promise<unknown>): Promise<{ ok: boolean; detail: string | null }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`), { code: 'TIMEOUT' })), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([fn(), timeout]);
    return { ok: true, detail: null };
  } catch (error) {
    const { code, message } = errorInfo(error);
    return { ok: false, detail: `${code}: ${message}` };
  } finally {
    clearTimeout(timer);
  }
}
