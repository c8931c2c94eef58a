import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DEMO_DIR, loadConfig } from './config.js';

function issuesOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => i.variable);
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('has production defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(9000);
    expect(config.wsPath).toBe('/ws/scanner');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.redisKeyPrefix).toBe('');
    expect(config.clearCacheToken).toBeNull();
    expect(config.auth).toEqual({ kind: 'none' });
    expect(config.limits.maxPayloadBytes).toBe(4096);
    expect(config.limits.maxSubscriptionsPerConnection).toBe(11);
    expect(config.pingIntervalMs).toBe(30_000);
    expect(config.shutdownTimeoutMs).toBe(5_000);
  });

  it('reads every variable it knows', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      WS_PATH: '/ws',
      REDIS_URL: 'redis://redis:6380/2',
      REDIS_KEY_PREFIX: 'test:abc:',
      CLEAR_CACHE_TOKEN: 'a-long-enough-token',
      JWT_SECRET: 'x'.repeat(32),
      JWT_ISSUER: 'issuer',
      JWT_AUDIENCE: 'scanner',
      MAX_CONNECTIONS: '5',
      SLOW_CLIENT_HIGH_WATERMARK_BYTES: '2048',
      SLOW_CLIENT_HARD_LIMIT_BYTES: '8192',
      LOG_LEVEL: 'silent',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      wsPath: '/ws',
      redisUrl: 'redis://redis:6380/2',
      redisKeyPrefix: 'test:abc:',
      clearCacheToken: 'a-long-enough-token',
      auth: { kind: 'hs256', issuer: 'issuer', audience: 'scanner' },
      limits: { maxConnections: 5 },
      slowClient: { highWatermarkBytes: 2048, hardLimitBytes: 8192 },
      logLevel: 'silent',
    });
  });

  it('treats a blank variable as unset', () => {
    expect(loadConfig({ PORT: '', CLEAR_CACHE_TOKEN: '  ' })).toMatchObject({ port: 9000, clearCacheToken: null });
  });

  it('configures JWKS auth from a URL', () => {
    const config = loadConfig({ JWT_JWKS_URL: 'http://127.0.0.1:8080/.well-known/jwks.json' });
    expect(config.auth.kind).toBe('jwks');
  });

  it('names every bad variable at once', () => {
    expect(
      issuesOf({ PORT: 'abc', REDIS_URL: 'http://x', MAX_PAYLOAD_BYTES: '-1', LOG_LEVEL: 'loud', REDIS_KEY_PREFIX: 'bad prefix*', JWT_SECRET: 'short' }).sort(),
    ).toEqual(['JWT_SECRET', 'LOG_LEVEL', 'MAX_PAYLOAD_BYTES', 'PORT', 'REDIS_KEY_PREFIX', 'REDIS_URL']);
  });

  it('names a bad variable and a bad combination together', () => {
    expect(issuesOf({ PORT: 'abc', SLOW_CLIENT_HIGH_WATERMARK_BYTES: '8192', SLOW_CLIENT_HARD_LIMIT_BYTES: '4096' }).sort()).toEqual([
      'PORT',
      'SLOW_CLIENT_HARD_LIMIT_BYTES',
    ]);
  });

  it('refuses JWT_SECRET and JWT_JWKS_URL together', () => {
    expect(issuesOf({ JWT_SECRET: 'y'.repeat(32), JWT_JWKS_URL: 'https://idp.example/jwks' })).toEqual(['JWT_SECRET', 'JWT_JWKS_URL']);
  });

  it('refuses a hard limit at or below the high watermark and a burst below the rate', () => {
    expect(issuesOf({ SLOW_CLIENT_HIGH_WATERMARK_BYTES: '8192', SLOW_CLIENT_HARD_LIMIT_BYTES: '8192', MESSAGE_RATE_PER_SECOND: '50', MESSAGE_RATE_BURST: '10' })).toEqual([
      'SLOW_CLIENT_HARD_LIMIT_BYTES',
      'MESSAGE_RATE_BURST',
    ]);
  });

  it('serves the demo page from the app\'s dist/demo by default, wherever the process was started', () => {
    const config = loadConfig({});
    expect(config.demo).toEqual({ enabled: true, dir: resolve(import.meta.dirname, '..', 'dist', 'demo') });
    expect(DEFAULT_DEMO_DIR).toBe(resolve(import.meta.dirname, '../dist/demo'));
  });

  it('reads DEMO_DIR (relative to the working directory) and DEMO_ENABLED', () => {
    expect(loadConfig({ DEMO_DIR: '/srv/demo', DEMO_ENABLED: 'false' }).demo).toEqual({ enabled: false, dir: '/srv/demo' });
    expect(loadConfig({ DEMO_DIR: 'build/page' }).demo.dir).toBe(resolve(process.cwd(), 'build/page'));
    expect(loadConfig({ DEMO_ENABLED: '0' }).demo.enabled).toBe(false);
    expect(loadConfig({ DEMO_ENABLED: ' TRUE ' }).demo.enabled).toBe(true);
    expect(loadConfig({ DEMO_ENABLED: '', DEMO_DIR: ' ' }).demo).toEqual({ enabled: true, dir: DEFAULT_DEMO_DIR });
  });

  it('applies one stream entry per event-loop turn by default, and reads STREAM_YIELD_EVERY', () => {
    expect(loadConfig({}).streamYieldEvery).toBe(1);
    expect(loadConfig({ STREAM_YIELD_EVERY: '500' }).streamYieldEvery).toBe(500);
    expect(issuesOf({ STREAM_YIELD_EVERY: '0' })).toEqual(['STREAM_YIELD_EVERY']);
    expect(issuesOf({ STREAM_YIELD_EVERY: 'often' })).toEqual(['STREAM_YIELD_EVERY']);
  });

  it('bounds commands-connection reads at 5 s by default, and reads REDIS_COMMAND_TIMEOUT_MS', () => {
    expect(loadConfig({}).redisCommandTimeoutMs).toBe(5_000);
    expect(loadConfig({ REDIS_COMMAND_TIMEOUT_MS: '2000' }).redisCommandTimeoutMs).toBe(2_000);
    expect(issuesOf({ REDIS_COMMAND_TIMEOUT_MS: '10' })).toEqual(['REDIS_COMMAND_TIMEOUT_MS']);
    expect(issuesOf({ REDIS_COMMAND_TIMEOUT_MS: 'soon' })).toEqual(['REDIS_COMMAND_TIMEOUT_MS']);
  });

  it('refuses a DEMO_ENABLED that is not a boolean', () => {
    expect(issuesOf({ DEMO_ENABLED: 'maybe' })).toEqual(['DEMO_ENABLED']);
  });

  it('throws a ConfigError with a stable code', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: '70000' });
    } catch (error) {
      expect((error as ConfigError).code).toBe('INVALID_CONFIG');
      expect((error as ConfigError).message).toContain('PORT');
    }
  });
});
