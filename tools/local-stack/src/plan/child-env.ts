import type { StackConfig } from '../config.js';

/**
 * The environment of each child, from the user's environment with the stack's wiring laid over it:
 * every app on the same Redis, key prefix, database and schema, and the maintenance service pointed
 * at this websocket-server's clear-cache route with the token they share.
 */

/** When the local stack's maintenance service announces the trading day (production: 03:00). */
export const LOCAL_NEW_DAY_TIME = '00:00';

export interface ResolvedServices {
  readonly redisUrl: string;
  readonly databaseUrl: string;
  readonly wsPort: number;
  readonly controlPort: number;
  readonly clearCacheToken: string;
}

export interface ChildEnvs {
  readonly ws: Record<string, string>;
  /** `maintenance serve`. */
  readonly maintenance: Record<string, string>;
  /** The one-shot maintenance commands (migrate, status, backfill): quieter unless LOG_LEVEL says otherwise. */
  readonly maintenanceCli: Record<string, string>;
  readonly feed: Record<string, string>;
}

/** A host a local client can dial: the wildcard addresses mean this machine. */
export function dialHost(listenHost: string): string {
  if (listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '') return '127.0.0.1';
  return listenHost.includes(':') ? `[${listenHost}]` : listenHost;
}

export function demoUrl(config: Pick<StackConfig, 'wsHost'>, wsPort: number): string {
  return `http://${dialHost(config.wsHost)}:${wsPort}/`;
}

export function childEnvs(config: StackConfig, services: ResolvedServices): ChildEnvs {
  const user = config.childEnv;
  const shared = { ...user, REDIS_URL: services.redisUrl, REDIS_KEY_PREFIX: config.keyPrefix };
  const maintenance = {
    ...shared,
    DATABASE_URL: services.databaseUrl,
    PGSCHEMA: config.schema,
    CONTROL_PORT: String(services.controlPort),
    // Without an API key the only source that works out of the box; a configured one wins.
    MARKET_DATA_SOURCE: nonBlank(user['MARKET_DATA_SOURCE']) ?? 'synthetic',
    // The websocket-server dates the day by the New York calendar date (its epoch without
    // trading:current_day, and the day of each stream entry), and the synthetic feed writes around the
    // clock: announced at 03:00, the day would lag the server's from midnight to 03:00 every trading
    // day (announcements it ignores as older, a 409 from its clear-cache route). At 00:00 they agree.
    NEW_DAY_TIME: nonBlank(user['NEW_DAY_TIME']) ?? LOCAL_NEW_DAY_TIME,
    CLEAR_CACHE_TOKEN: services.clearCacheToken,
    WEBSOCKET_CLEAR_CACHE_URL:
      nonBlank(user['WEBSOCKET_CLEAR_CACHE_URL']) ?? `http://${dialHost(config.wsHost)}:${services.wsPort}/api/clear-cache`,
  };
  return {
    ws: { ...shared, PORT: String(services.wsPort), HOST: config.wsHost, CLEAR_CACHE_TOKEN: services.clearCacheToken },
    maintenance,
    maintenanceCli: { ...maintenance, LOG_LEVEL: nonBlank(user['LOG_LEVEL']) ?? 'warn' },
    feed: shared,
  };
}

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
