import { LOCAL_DATABASE_URL, LOCAL_REDIS_URL, type StackConfig } from '../config.js';
import { type ProbeResults, probesNeeded } from '../plan/service-plan.js';
import { embeddedPostgresUnavailable } from './embedded-postgres.js';
import { findOnPath, postgresAnswers, redisAnswers } from './probes.js';

/** Runs exactly the probes the plan needs for this configuration, in parallel. */
export async function runProbes(config: StackConfig): Promise<ProbeResults> {
  const needed = new Set(probesNeeded(config));
  const when = <T>(name: keyof ProbeResults, probe: () => Promise<T>): Promise<T | undefined> =>
    needed.has(name) ? probe() : Promise.resolve(undefined);
  const [configuredRedis, localRedis, redisServer, configuredPostgres, localPostgres, embeddedUnavailable] = await Promise.all([
    when('configuredRedis', () => redisAnswers(config.redis.url ?? LOCAL_REDIS_URL)),
    when('localRedis', () => redisAnswers(LOCAL_REDIS_URL)),
    when('redisServer', () => findOnPath('redis-server', config.childEnv['PATH'])),
    when('configuredPostgres', () => postgresAnswers(config.postgres.url ?? LOCAL_DATABASE_URL)),
    when('localPostgres', () => postgresAnswers(LOCAL_DATABASE_URL)),
    when('embeddedUnavailable', () => embeddedPostgresUnavailable()),
  ]);
  return {
    ...(configuredRedis === undefined ? {} : { configuredRedis }),
    ...(localRedis === undefined ? {} : { localRedis }),
    ...(redisServer === undefined ? {} : { redisServer }),
    ...(configuredPostgres === undefined ? {} : { configuredPostgres }),
    ...(localPostgres === undefined ? {} : { localPostgres }),
    ...(embeddedUnavailable === undefined ? {} : { embeddedUnavailable }),
  };
}
