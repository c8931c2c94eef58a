import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const synthetic = { MARKET_DATA_SOURCE: 'synthetic' };

describe('loadConfig', () => {
  it('gives the seed defaults', () => {
    const config = loadConfig(synthetic);
    expect(config).toMatchObject({
      database: { url: 'postgres://postgres@127.0.0.1:5432/test', schema: 'public' },
      redis: { url: 'redis://127.0.0.1:6379', keyPrefix: '', chunkSize: 500 },
      source: { kind: 'synthetic' },
      logLevel: 'info',
      tasks: {
        retentionDays: 15,
        rvolSessions: 5,
        atrPeriod: 14,
        atrMaxSessions: 100,
        maintenanceMinuteOfDay: 17 * 60,
        ttlGraceSeconds: 6 * 3600,
        inactiveAfterSessions: 5,
      },
    });
  });

  it('reads every variable it knows', () => {
    const config = loadConfig({
      ...synthetic,
      DATABASE_URL: 'postgresql://u@db:5433/prod',
      PGSCHEMA: 'maintenance',
      REDIS_URL: 'rediss://cache:6380',
      REDIS_KEY_PREFIX: 'staging:',
      REDIS_PIPELINE_CHUNK: '200',
      LOG_LEVEL: 'debug',
      VOLUME_SLOTS_RETENTION_DAYS: '30',
      RVOL_LOOKBACK_SESSIONS: '10',
      ATR_PERIOD: '20',
      ATR_MAX_SESSIONS: '250',
      MAINTENANCE_DAILY_TIME: '17:30',
      REDIS_TTL_GRACE_SECONDS: '0',
      UNIVERSE_INACTIVE_AFTER_SESSIONS: '3',
    });
    expect(config.database).toEqual({ url: 'postgresql://u@db:5433/prod', schema: 'maintenance' });
    expect(config.redis).toEqual({ url: 'rediss://cache:6380', keyPrefix: 'staging:', chunkSize: 200 });
    expect(config.tasks).toEqual({
      retentionDays: 30,
      rvolSessions: 10,
      atrPeriod: 20,
      atrMaxSessions: 250,
      maintenanceMinuteOfDay: 17 * 60 + 30,
      ttlGraceSeconds: 0,
      inactiveAfterSessions: 3,
    });
  });

  it('names every bad variable at once, the source ones included', () => {
    try {
      loadConfig({
        DATABASE_URL: 'mysql://x',
        PGSCHEMA: 'drop table;',
        REDIS_KEY_PREFIX: 'has space',
        ATR_PERIOD: '-3',
        LOG_LEVEL: 'loud',
        MAINTENANCE_DAILY_TIME: '25:00',
        MARKET_DATA_SOURCE: 'polygon',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
      expect(variables).toEqual(['ATR_PERIOD', 'DATABASE_URL', 'LOG_LEVEL', 'MAINTENANCE_DAILY_TIME', 'PGSCHEMA', 'POLYGON_API_KEY', 'REDIS_KEY_PREFIX']);
      expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    }
  });

  it('accepts a daily maintenance time from the regular close (16:00) to 23:59 New York', () => {
    expect(loadConfig({ ...synthetic, MAINTENANCE_DAILY_TIME: '16:00' }).tasks.maintenanceMinuteOfDay).toBe(16 * 60);
    expect(loadConfig({ ...synthetic, MAINTENANCE_DAILY_TIME: '23:59' }).tasks.maintenanceMinuteOfDay).toBe(23 * 60 + 59);
  });

  it.each(['09:00', '00:00', '15:59', '13:00', '24:00'])('refuses MAINTENANCE_DAILY_TIME=%s, naming the variable and the rule', (value) => {
    try {
      loadConfig({ ...synthetic, MAINTENANCE_DAILY_TIME: value });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(1);
      expect(problems[0]?.variable).toBe('MAINTENANCE_DAILY_TIME');
      expect((error as ConfigError).message).toContain('MAINTENANCE_DAILY_TIME');
      if (value !== '24:00') expect(problems[0]?.message).toMatch(/at or after 16:00 New York/);
    }
  });

  it('treats an empty variable as unset and refuses an ATR window not longer than its period', () => {
    expect(loadConfig({ ...synthetic, LOG_LEVEL: '' }).logLevel).toBe('info');
    expect(() => loadConfig({ ...synthetic, ATR_PERIOD: '14', ATR_MAX_SESSIONS: '14' })).toThrow(/ATR_MAX_SESSIONS/);
  });
});
