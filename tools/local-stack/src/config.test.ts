import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, loadConfig } from './config.js';
import { StackError } from './stack-error.js';

const ROOT = '/repo';

function configError(env: Record<string, string>): StackError {
  try {
    loadConfig(env, ROOT);
  } catch (error) {
    if (error instanceof StackError) return error;
    throw error;
  }
  throw new Error('expected a StackError');
}

describe('loadConfig', () => {
  it('defaults to the local services, the apps ports and .local-stack at the repository root', () => {
    const config = loadConfig({}, ROOT);
    expect(config.dataDir).toBe('/repo/.local-stack');
    expect(config.redis).toEqual({ url: null, mode: 'auto', privatePort: DEFAULT_PORTS.privateRedis });
    expect(config.postgres).toEqual({ url: null, mode: 'auto', embeddedPort: DEFAULT_PORTS.embeddedPostgres });
    expect(config.wsPort).toBe(9000);
    expect(config.wsHost).toBe('127.0.0.1');
    expect(config.wsPath).toBe('/ws/scanner');
    expect(config.demoDir).toBeNull();
    expect(config.controlPort).toBe(9100);
    expect(config.keyPrefix).toBe('');
    expect(config.schema).toBe('public');
    expect(config.bootstrapSessions).toBeNull();
    expect(config.history).toEqual({ atrPeriod: 14, rvolSessions: 5, catchUpSessions: 10 });
    expect(config.clearCacheToken).toBeNull();
    expect(config.maintenanceStopMs).toBe(35_000);
    expect(config.underNpm).toBe(false);
    expect(loadConfig({ npm_lifecycle_event: 'start' }, ROOT).underNpm).toBe(true);
  });

  it('takes every override, blank values counting as unset', () => {
    const config = loadConfig(
      {
        LOCAL_STACK_DIR: 'tmp/stack',
        REDIS_URL: 'redis://10.0.0.5:6380',
        DATABASE_URL: 'postgresql://app:secret@db:5432/scanner',
        PORT: '0',
        CONTROL_PORT: '9200',
        LOCAL_STACK_REDIS_PORT: '',
        REDIS_KEY_PREFIX: 'dev:',
        PGSCHEMA: 'stack_1',
        LOCAL_STACK_BOOTSTRAP_SESSIONS: '12',
        CLEAR_CACHE_TOKEN: 'a-token-of-20-chars!',
        SHUTDOWN_GRACE_MS: '5000',
        ATR_PERIOD: '20',
        HOST: '0.0.0.0',
        WS_PATH: '/live',
        DEMO_DIR: ' ',
      },
      ROOT,
    );
    expect(config.dataDir).toBe('/repo/tmp/stack');
    expect(config.redis.url).toBe('redis://10.0.0.5:6380');
    expect(config.redis.privatePort).toBe(DEFAULT_PORTS.privateRedis);
    expect(config.postgres.url).toBe('postgresql://app:secret@db:5432/scanner');
    expect(config.wsPort).toBe(0);
    expect(config.wsHost).toBe('0.0.0.0');
    expect(config.wsPath).toBe('/live');
    expect(config.demoDir).toBeNull();
    expect(config.controlPort).toBe(9200);
    expect(config.keyPrefix).toBe('dev:');
    expect(config.schema).toBe('stack_1');
    expect(config.bootstrapSessions).toBe(12);
    expect(config.clearCacheToken).toBe('a-token-of-20-chars!');
    expect(config.maintenanceStopMs).toBe(15_000);
    expect(config.history.atrPeriod).toBe(20);
    expect(loadConfig({ LOCAL_STACK_DIR: '/var/tmp/s' }, ROOT).dataDir).toBe('/var/tmp/s');
  });

  it('passes the whole environment on to the children', () => {
    const config = loadConfig({ FEED_CADENCE_MS: '500', LOG_LEVEL: 'debug', UNSET: undefined }, ROOT);
    expect(config.childEnv).toEqual({ FEED_CADENCE_MS: '500', LOG_LEVEL: 'debug' });
  });

  it('reports every bad variable at once with a stable code', () => {
    const error = configError({
      REDIS_URL: 'http://localhost',
      DATABASE_URL: 'mysql://x',
      PORT: '70000',
      PGSCHEMA: 'bad-name',
      REDIS_KEY_PREFIX: 'has space',
      CLEAR_CACHE_TOKEN: 'short',
      LOCAL_STACK_REDIS: 'docker',
      LOCAL_STACK_BOOTSTRAP_SESSIONS: '0',
    });
    expect(error.code).toBe('CONFIG_INVALID');
    for (const name of ['REDIS_URL', 'DATABASE_URL', 'PORT', 'PGSCHEMA', 'REDIS_KEY_PREFIX', 'CLEAR_CACHE_TOKEN', 'LOCAL_STACK_REDIS', 'LOCAL_STACK_BOOTSTRAP_SESSIONS']) {
      expect(error.message).toContain(`${name}:`);
    }
  });

  it('refuses a private store together with a configured URL, and two services on one port', () => {
    expect(configError({ REDIS_URL: 'redis://127.0.0.1:6379', LOCAL_STACK_REDIS: 'private' }).message).toContain('LOCAL_STACK_REDIS');
    expect(configError({ DATABASE_URL: 'postgres://127.0.0.1/x', LOCAL_STACK_POSTGRES: 'embedded' }).message).toContain('LOCAL_STACK_POSTGRES');
    expect(configError({ PORT: '9100' }).message).toContain('CONTROL_PORT: port 9100 is also PORT');
    expect(loadConfig({ PORT: '0', CONTROL_PORT: '0' }, ROOT).controlPort).toBe(0);
  });
});
