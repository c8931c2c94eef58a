import { Redis } from 'ioredis';
import pino from 'pino';
import { type MaintenanceConfig, type ServiceConfig, loadConfig } from '../../src/config.js';
import type { CycleDeps } from '../../src/cycle/run-cycle.js';
import { createPool } from '../../src/db/pool.js';
import { redisLockHolders } from '../../src/metrics/lock-holders.js';
import { type MaintenanceMetrics, createMaintenanceMetrics } from '../../src/metrics/maintenance-metrics.js';
import type { JobFire, JobScheduler, JobSchedulerOptions } from '../../src/service/job-scheduler.js';
import { type MaintenanceService, createMaintenanceService } from '../../src/service/maintenance-service.js';
import type { MarketDataSource } from '../../src/sources/market-data-source.js';
import { TEST_REDIS_URL } from '../support/maintenance-harness.js';
import { TEST_DATABASE_URL } from '../support/test-database.js';

/** The config defaults (src/config.ts), with the clear-cache fallback off and short service timings. */
export function testConfig(service: Partial<ServiceConfig> = {}): MaintenanceConfig {
  const base = loadConfig({ MARKET_DATA_SOURCE: 'synthetic', WEBSOCKET_CLEAR_CACHE_URL: 'none' });
  return {
    ...base,
    service: {
      ...base.service,
      control: { host: '127.0.0.1', port: 0, token: 'test-control-token-0123456789' },
      catchUpSessions: 2,
      // Long: a test runs the passes it means to (start, or catchUp()) and is not raced by the timer.
      catchUpIntervalMs: 600_000,
      healthCheckIntervalMs: 600_000,
      lockLeaseMs: 2000,
      shutdownGraceMs: 5000,
      ...service,
    },
  };
}

/** A scheduler the test fires by hand: node-schedule runs on the system clock, the tests on their own. */
export interface ManualScheduler {
  readonly start: (options: JobSchedulerOptions) => JobScheduler;
  fire(fire: JobFire): void;
  stopped(): boolean;
}

export function manualScheduler(): ManualScheduler {
  let onFire: ((fire: JobFire) => void) | null = null;
  let stopped = false;
  return {
    start(options) {
      onFire = options.onFire;
      return {
        next: () => [],
        stop: () => {
          stopped = true;
        },
      };
    },
    fire(fire) {
      if (onFire === null) throw new Error('the scheduler was not started');
      if (!stopped) onFire(fire);
    },
    stopped: () => stopped,
  };
}

export interface TestService {
  readonly service: MaintenanceService;
  readonly metrics: MaintenanceMetrics;
  readonly scheduler: ManualScheduler;
  readonly deps: CycleDeps;
}

/** A service on the given clients (as runService builds it, minus the HTTP port), not started yet. */
export function createTestService(deps: CycleDeps, config: MaintenanceConfig = testConfig()): TestService {
  const metrics = createMaintenanceMetrics({ readLockHolders: redisLockHolders(deps.redis, deps.keys) });
  const scheduler = manualScheduler();
  const service = createMaintenanceService({
    ...deps,
    schedules: config.schedules,
    newDay: config.newDay,
    service: config.service,
    metrics,
    startScheduler: scheduler.start,
  });
  return { service, metrics, scheduler, deps };
}

/**
 * Clients of their own on the same schema and key prefix: what a second instance of the service has.
 * The caller closes them.
 */
export function ownClients(deps: CycleDeps, schema: string): { deps: CycleDeps; close(): Promise<void> } {
  const pool = createPool({ connectionString: TEST_DATABASE_URL, schema, max: 5 });
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
  return {
    deps: { ...deps, pool, redis, logger: pino({ level: 'silent' }) },
    async close() {
      redis.disconnect();
      await pool.end();
    },
  };
}

/**
 * A source whose intraday bars (load_volume_slots, the cycle's second task) wait until the test opens
 * the gate: a cycle held in the middle, with its lock, for as long as a test needs.
 */
export function gatedSource(inner: MarketDataSource): MarketDataSource & { readonly waiting: () => boolean; open(): void } {
  let release: () => void = () => undefined;
  let opened = false;
  let waiting = false;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    name: inner.name,
    dailyBars: (date) => inner.dailyBars(date),
    async intradayBars(date, symbols) {
      if (!opened) {
        waiting = true;
        await gate;
        waiting = false;
      }
      return inner.intradayBars(date, symbols);
    },
    tickerDetails: (symbols) => inner.tickerDetails(symbols),
    close: () => inner.close(),
    waiting: () => waiting,
    open() {
      opened = true;
      release();
    },
  };
}
