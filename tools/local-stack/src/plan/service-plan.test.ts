import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { StackError } from '../stack-error.js';
import { type ProbeResults, embeddedDatabaseUrl, planServices, probesNeeded, redactUrl } from './service-plan.js';

const config = (env: Record<string, string> = {}) => loadConfig(env, '/repo');

function refusal(env: Record<string, string>, probes: ProbeResults): StackError {
  try {
    planServices(config(env), probes);
  } catch (error) {
    if (error instanceof StackError) return error;
    throw error;
  }
  throw new Error('expected the plan to refuse');
}

/** One sentence: what is wrong and what to install or set, no line breaks. */
function expectOneSentence(message: string) {
  expect(message).not.toContain('\n');
  expect(message.endsWith('.')).toBe(true);
  expect(message.slice(0, -1)).not.toMatch(/\.\s/);
}

describe('probesNeeded', () => {
  it('probes the local defaults and the fallbacks when nothing is configured', () => {
    expect(probesNeeded(config())).toEqual(['localRedis', 'redisServer', 'localPostgres', 'embeddedUnavailable']);
  });

  it('probes only the configured URLs when they are set', () => {
    expect(probesNeeded(config({ REDIS_URL: 'redis://h:1', DATABASE_URL: 'postgres://h:2/db' }))).toEqual(['configuredRedis', 'configuredPostgres']);
  });

  it('does not probe the local services when a private or embedded one is asked for', () => {
    expect(probesNeeded(config({ LOCAL_STACK_REDIS: 'private', LOCAL_STACK_POSTGRES: 'embedded' }))).toEqual(['redisServer', 'embeddedUnavailable']);
  });
});

describe('planServices', () => {
  it('uses the local services when they answer', () => {
    expect(planServices(config(), { localRedis: true, redisServer: '/usr/bin/redis-server', localPostgres: true, embeddedUnavailable: null })).toEqual({
      redis: { kind: 'local', url: 'redis://127.0.0.1:6379' },
      postgres: { kind: 'local', url: 'postgres://postgres@127.0.0.1:5432/test' },
    });
  });

  it('starts a private Redis and an embedded PostgreSQL under the data folder when nothing answers', () => {
    const plan = planServices(config({ LOCAL_STACK_DIR: '/data/stack' }), {
      localRedis: false,
      redisServer: '/usr/bin/redis-server',
      localPostgres: false,
      embeddedUnavailable: null,
    });
    expect(plan.redis).toEqual({ kind: 'private', port: 56379, dir: '/data/stack/redis', executable: '/usr/bin/redis-server' });
    expect(plan.postgres).toEqual({ kind: 'embedded', port: 55432, dir: '/data/stack/postgres', database: 'scanner' });
  });

  it('starts them when asked even though the local ones answer', () => {
    const plan = planServices(config({ LOCAL_STACK_REDIS: 'private', LOCAL_STACK_POSTGRES: 'embedded', LOCAL_STACK_PG_PORT: '0' }), {
      localRedis: true,
      redisServer: '/bin/redis-server',
      localPostgres: true,
      embeddedUnavailable: null,
    });
    expect(plan.redis.kind).toBe('private');
    expect(plan.postgres).toMatchObject({ kind: 'embedded', port: 0 });
  });

  it('uses configured URLs as they are', () => {
    const env = { REDIS_URL: 'redis://cache:6379', DATABASE_URL: 'postgres://u:pw@db:5432/prod' };
    expect(planServices(config(env), { configuredRedis: true, configuredPostgres: true })).toEqual({
      redis: { kind: 'configured', url: 'redis://cache:6379' },
      postgres: { kind: 'configured', url: 'postgres://u:pw@db:5432/prod' },
    });
  });

  it('never replaces a configured service that does not answer, and says what to do', () => {
    const redis = refusal({ REDIS_URL: 'redis://:hunter2@cache:6379' }, { configuredRedis: false, localPostgres: true, embeddedUnavailable: null });
    expect(redis.code).toBe('REDIS_UNAVAILABLE');
    expect(redis.message).toContain('REDIS_URL');
    expect(redis.message).not.toContain('hunter2');
    expectOneSentence(redis.message);

    const postgres = refusal({ DATABASE_URL: 'postgres://u:pw@db:5432/prod' }, { localRedis: true, redisServer: null, configuredPostgres: false });
    expect(postgres.code).toBe('POSTGRES_UNAVAILABLE');
    expect(postgres.message).toContain('postgres://u:***@db:5432/prod');
    expectOneSentence(postgres.message);
  });

  it('stops with one sentence naming what to install or set when no Redis can be had', () => {
    const error = refusal({}, { localRedis: false, redisServer: null, localPostgres: true, embeddedUnavailable: null });
    expect(error.code).toBe('REDIS_NOT_INSTALLED');
    expect(error.message).toMatch(/install Redis 7 .* or set REDIS_URL/);
    expectOneSentence(error.message);
  });

  it('stops with one sentence when no PostgreSQL answers and the embedded one cannot run here', () => {
    const error = refusal({}, { localRedis: true, redisServer: null, localPostgres: false, embeddedUnavailable: 'no binaries for aix-ppc64' });
    expect(error.code).toBe('EMBEDDED_POSTGRES_UNAVAILABLE');
    expect(error.message).toMatch(/install PostgreSQL .* or set DATABASE_URL/);
    expect(error.message).toContain('aix-ppc64');
    expectOneSentence(error.message);
  });
});

describe('URLs', () => {
  it('hides passwords and builds the embedded and private URLs', () => {
    expect(redactUrl('redis://:secret@h:6379')).toBe('redis://:***@h:6379');
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(embeddedDatabaseUrl(55432, 'scanner')).toBe('postgres://postgres@127.0.0.1:55432/scanner');
  });
});
