import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { childEnvs, demoUrl, dialHost } from './child-env.js';

const services = { redisUrl: 'redis://127.0.0.1:56379', databaseUrl: 'postgres://postgres@127.0.0.1:55432/scanner', wsPort: 9000, controlPort: 9100, clearCacheToken: 't'.repeat(48) };

describe('childEnvs', () => {
  it('puts every app on the same Redis and key prefix, and the maintenance service on the database and schema', () => {
    const config = loadConfig({ REDIS_KEY_PREFIX: 'dev:', PGSCHEMA: 'stack', PATH: '/usr/bin' }, '/repo');
    const envs = childEnvs(config, services);
    for (const env of [envs.ws, envs.maintenance, envs.maintenanceCli, envs.feed]) {
      expect(env['REDIS_URL']).toBe('redis://127.0.0.1:56379');
      expect(env['REDIS_KEY_PREFIX']).toBe('dev:');
      expect(env['PATH']).toBe('/usr/bin');
    }
    expect(envs.maintenance).toMatchObject({ DATABASE_URL: services.databaseUrl, PGSCHEMA: 'stack', CONTROL_PORT: '9100', MARKET_DATA_SOURCE: 'synthetic' });
    expect(envs.ws).toMatchObject({ PORT: '9000', HOST: '127.0.0.1' });
    expect(envs.feed['DATABASE_URL']).toBeUndefined();
  });

  it("points the maintenance service's new-day fallback at this websocket-server with the token they share", () => {
    const envs = childEnvs(loadConfig({}, '/repo'), services);
    expect(envs.ws['CLEAR_CACHE_TOKEN']).toBe(services.clearCacheToken);
    expect(envs.maintenance['CLEAR_CACHE_TOKEN']).toBe(services.clearCacheToken);
    expect(envs.maintenance['WEBSOCKET_CLEAR_CACHE_URL']).toBe('http://127.0.0.1:9000/api/clear-cache');
  });

  it('announces the trading day at New York midnight, when the websocket-server turns its day', () => {
    const envs = childEnvs(loadConfig({}, '/repo'), services);
    expect(envs.maintenance['NEW_DAY_TIME']).toBe('00:00');
    expect(envs.maintenanceCli['NEW_DAY_TIME']).toBe('00:00');
    expect(envs.ws['NEW_DAY_TIME']).toBeUndefined();
  });

  it("keeps the user's own data source, clear-cache URL, new-day time and log level", () => {
    const config = loadConfig({ MARKET_DATA_SOURCE: 'polygon', WEBSOCKET_CLEAR_CACHE_URL: 'none', LOG_LEVEL: 'debug', NEW_DAY_TIME: '03:00' }, '/repo');
    const envs = childEnvs(config, services);
    expect(envs.maintenance['NEW_DAY_TIME']).toBe('03:00');
    expect(envs.maintenance['MARKET_DATA_SOURCE']).toBe('polygon');
    expect(envs.maintenance['WEBSOCKET_CLEAR_CACHE_URL']).toBe('none');
    expect(envs.maintenanceCli['LOG_LEVEL']).toBe('debug');
  });

  it('keeps the one-shot commands quiet by default (their JSON lines are summarised by the stack)', () => {
    const envs = childEnvs(loadConfig({}, '/repo'), services);
    expect(envs.maintenanceCli['LOG_LEVEL']).toBe('warn');
    expect(envs.maintenance['LOG_LEVEL']).toBeUndefined();
  });
});

describe('dialHost and demoUrl', () => {
  it('dials 127.0.0.1 for the wildcard addresses and brackets IPv6', () => {
    expect(dialHost('0.0.0.0')).toBe('127.0.0.1');
    expect(dialHost('::')).toBe('127.0.0.1');
    expect(dialHost('::1')).toBe('[::1]');
    expect(dialHost('192.168.1.10')).toBe('192.168.1.10');
    expect(demoUrl({ wsHost: '0.0.0.0' }, 9000)).toBe('http://127.0.0.1:9000/');
  });
});
