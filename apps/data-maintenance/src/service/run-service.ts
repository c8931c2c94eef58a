import type { Clock, TradingCalendar } from '@scanner/market-calendar';
import { EXIT, type ExitCode } from '../cli/exit-codes.js';
import type { MaintenanceConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { startControlServer } from '../http/control-server.js';
import { redisLockHolders } from '../metrics/lock-holders.js';
import { createMaintenanceMetrics } from '../metrics/maintenance-metrics.js';
import { openClients } from '../open-clients.js';
import { type JobScheduler, type JobSchedulerOptions } from './job-scheduler.js';
import { createMaintenanceService } from './maintenance-service.js';

export interface ServiceEnvironment {
  readonly clock: Clock;
  readonly calendar: TradingCalendar;
  /**
   * Settles (with the signal's name) when the process is asked to stop. The composition root subscribes
   * SIGTERM/SIGINT (shutdown-signals.ts); nothing else in the service touches process signals.
   */
  readonly stopRequested: Promise<string>;
  /** node-schedule unless given (a test entry whose clock is not the system's may pass another). */
  readonly startScheduler?: (options: JobSchedulerOptions) => JobScheduler;
}

/**
 * `maintenance serve`: connects, migrates, opens the control port, starts the service, and runs until
 * `stopRequested`; then stops it (the task under way may finish within SHUTDOWN_GRACE_MS), closes the
 * control port and the clients, and returns 0. A failure to start (a service unreachable, the port taken,
 * a migration failing) throws, with everything opened so far closed again.
 */
export async function runService(config: MaintenanceConfig, env: ServiceEnvironment): Promise<ExitCode> {
  const clients = await openClients(config, { clock: env.clock, calendar: env.calendar, startEvent: 'service_starting' });
  const { deps } = clients;
  const { logger } = deps;
  try {
    const migrated = await migrate(deps.pool, config.database.schema);
    if (migrated.applied.length > 0) logger.info({ event: 'migrations_applied', ...migrated }, 'database migrated');
    const metrics = createMaintenanceMetrics({ readLockHolders: redisLockHolders(deps.redis, deps.keys) });
    const service = createMaintenanceService({
      ...deps,
      schedules: config.schedules,
      newDay: config.newDay,
      service: config.service,
      metrics,
      ...(env.startScheduler ? { startScheduler: env.startScheduler } : {}),
    });
    const control = config.service.control;
    const server = await startControlServer({ host: control.host, port: control.port, token: control.token, control: service.control, metrics, logger });
    try {
      service.start();
      const signal = await env.stopRequested;
      logger.info({ event: 'shutdown_requested', signal }, `${signal}: shutting down`);
      const report = await service.shutdown();
      logger.info({ event: 'service_stopped', graceful: report.graceful }, 'maintenance service stopped');
      return EXIT.OK;
    } finally {
      await server.close();
    }
  } finally {
    await clients.close();
  }
}
