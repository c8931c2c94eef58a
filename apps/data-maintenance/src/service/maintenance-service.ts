import { hostname } from 'node:os';
import type { IsoDate } from '@scanner/market-calendar';
import type { NewDayConfig, ScheduleConfig, ServiceConfig } from '../config.js';
import { type ExpectedRun, runKey } from '../core/expected-runs.js';
import { jobSchedules } from '../core/job-schedule.js';
import type { CycleDeps } from '../cycle/run-cycle.js';
import type { ControlPort, HealthReport, TriggerRequest, TriggerResult } from '../http/control-port.js';
import type { MaintenanceMetrics } from '../metrics/maintenance-metrics.js';
import { errorInfo } from '../tasks/task-result.js';
import { type CatchUpReport, runCatchUpPass } from './catch-up.js';
import { type JobOutcome, type JobRequest, createJobRunner } from './job-runner.js';
import { type JobFire, type JobScheduler, type JobSchedulerOptions, startJobScheduler } from './job-scheduler.js';
import { type HealthCheckReport, createRedisHealthCheck } from './redis-health-check.js';
import { SerialLane } from './serial-lane.js';
import { fireAgreesWithClock } from './fire-clock.js';
import { serviceHealth } from './service-health.js';
import { serviceStatus } from './service-status.js';
import { triggerDate } from './trigger-date.js';

export interface MaintenanceServiceDeps extends CycleDeps {
  readonly schedules: ScheduleConfig;
  readonly newDay: NewDayConfig;
  readonly service: ServiceConfig;
  readonly metrics: MaintenanceMetrics;
  /** node-schedule (job-scheduler.ts) unless a test drives the fires itself. */
  readonly startScheduler?: (options: JobSchedulerOptions) => JobScheduler;
}

export interface ShutdownReport {
  /** Every job under way finished within the grace. */
  readonly graceful: boolean;
  /** What was marked interrupted past the grace. */
  readonly abandoned: ReadonlyArray<Readonly<Record<string, unknown>>>;
}

export interface MaintenanceService {
  readonly control: ControlPort;
  /** Host and pid, as in the lock tokens this process takes. */
  readonly instance: string;
  /** The scheduler, the periodic catch-up and health check, and a first pass of each in the background. */
  start(): void;
  /** One catch-up pass now; null when one is already under way (or the service is stopping). */
  catchUp(): Promise<CatchUpReport | null>;
  /** One Redis health check now; null when one is already under way (or the service is stopping). */
  healthCheck(): Promise<HealthCheckReport | null>;
  /**
   * Stops new work (scheduler, timers, triggers refused with SHUTTING_DOWN), lets the task under way finish
   * (the cycle stops before its next one) for up to `shutdownGraceMs`, then marks what is still running
   * interrupted and releases its locks. Idempotent.
   */
  shutdown(): Promise<ShutdownReport>;
}

/** The long-running service (issue 5): schedules, catch-up, health check and the control port's backend. */
export function createMaintenanceService(deps: MaintenanceServiceDeps): MaintenanceService {
  const { clock, calendar, logger, service: settings } = deps;
  const instance = `${hostname()}-${process.pid}`;
  const startedAt = clock.now();
  const schedules = jobSchedules(deps.schedules);
  const stopController = new AbortController();
  const runner = createJobRunner({ ...deps, newDayMinute: deps.schedules.newDayMinute, leaseMs: settings.lockLeaseMs, stop: stopController.signal });
  const lanes = { data: new SerialLane(), new_day: new SerialLane() };
  const inflight = new Set<Promise<unknown>>();
  const timers: NodeJS.Timeout[] = [];
  let scheduler: JobScheduler | null = null;
  let stopping: Promise<ShutdownReport> | null = null;
  let catchUpUnder: Promise<CatchUpReport | null> | null = null;
  let lastCatchUp: CatchUpReport | null = null;

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inflight.add(promise);
    void promise.finally(() => inflight.delete(promise)).catch(() => undefined);
    return promise;
  };

  /** Through this process's lane of the job's lock; nothing new starts once the service is stopping. */
  const enqueue = (request: JobRequest): Promise<JobOutcome> => {
    const lane = request.job === 'new_day' ? lanes.new_day : lanes.data;
    return track(
      lane.run(async () => {
        if (stopping !== null) return { status: 'interrupted', detail: { reason: 'SHUTTING_DOWN: not started' } } as const;
        return runner.run(request);
      }),
    );
  };

  const healthCheck = createRedisHealthCheck({ ...deps, sessions: settings.catchUpSessions }, (date: IsoDate) =>
    enqueue({ job: 'daily_maintenance', date, trigger: 'health_check', tasks: ['sync_redis'], once: false }),
  );

  // Scheduled data runs (daily, weekly) go through a catch-up pass, so a missed earlier session always
  // runs before a later one (its RVOL and ATR read it); the fired run is recorded with trigger `schedule`.
  let scheduledKeys = new Set<string>();
  let passAgain = false;
  const startPass = (): Promise<CatchUpReport | null> => {
    const scheduled = scheduledKeys;
    scheduledKeys = new Set();
    passAgain = false;
    const trigger = (run: ExpectedRun) => (scheduled.has(runKey(run.job, run.date)) ? 'schedule' : 'catch_up');
    const pass = runCatchUpPass({ ...deps, schedules, sessions: settings.catchUpSessions }, clock.now(), (run: ExpectedRun) =>
      enqueue({ job: run.job, date: run.date, trigger: trigger(run), once: true }),
    )
      .then((report) => {
        lastCatchUp = report;
        return report;
      })
      .catch((error: unknown) => {
        const { code, message } = errorInfo(error);
        logger.error({ event: 'catch_up_failed', code, reason: message }, `catch-up pass failed: ${message}`);
        return null;
      })
      .finally(() => {
        catchUpUnder = null;
        if (passAgain && stopping === null) void startPass();
      });
    catchUpUnder = track(pass);
    return catchUpUnder;
  };
  const catchUp = (): Promise<CatchUpReport | null> => (stopping !== null || catchUpUnder !== null ? Promise.resolve(null) : startPass());
  /** A pass now, or right after the one under way (which may have looked before this run was due). */
  const catchUpFor = (fire: JobFire): void => {
    if (stopping !== null) return;
    scheduledKeys.add(runKey(fire.job, fire.date));
    if (catchUpUnder !== null) passAgain = true;
    else void startPass();
  };

  const runHealthCheck = async (): Promise<HealthCheckReport | null> => {
    if (stopping !== null) return null;
    // A data job under way (here or in another instance) rewrites the caches and ends with sync_redis:
    // keys it is replacing are not lost, and the check looks again once it is done.
    const holder = await deps.redis.get(deps.keys.maintenanceLock).catch(() => null);
    if (holder !== null) {
      logger.debug({ event: 'health_check_deferred', holder }, 'a data job holds the lock: the Redis check waits for the next round');
      return null;
    }
    return track(healthCheck.run());
  };

  const onFire = (fire: JobFire): void => {
    const now = clock.now();
    if (!fireAgreesWithClock(fire.scheduledAt, now)) {
      logger.warn(
        { event: 'job_fire_ignored', job: fire.job, date: fire.date, scheduled_at: fire.scheduledAt.toISOString(), clock: now.toISOString() },
        'the service clock disagrees with the scheduled instant: catch-up decides instead',
      );
      return;
    }
    // The announcement has its own lock and lane: it never waits behind a backlog of cycles.
    if (fire.job === 'new_day') void enqueue({ job: 'new_day', date: fire.date, trigger: 'schedule', once: true });
    else catchUpFor(fire);
  };

  const health = (): Promise<HealthReport> =>
    serviceHealth({ pool: deps.pool, redis: deps.redis, lastDataCheck: healthCheck.last(), stopping: stopping !== null });

  const trigger = async (request: TriggerRequest): Promise<TriggerResult> => {
    if (stopping !== null) return { accepted: false, code: 'SHUTTING_DOWN', message: 'the service is shutting down; try again once it is back' };
    const date = triggerDate(calendar, clock.now(), request.date);
    if (!date.ok) return { accepted: false, code: date.code, message: date.message };
    let locked!: () => void;
    const lockTaken = new Promise<'locked'>((resolve) => (locked = () => resolve('locked')));
    // Not through the lane: a trigger is answered now, 409 while any run (this process's too) holds the lock.
    const run = track(runner.run({ job: 'daily_maintenance', date: date.date, trigger: 'http', tasks: request.tasks, once: false }, { onLocked: locked }));
    const first = await Promise.race([lockTaken, run]);
    if (first === 'locked') return { accepted: true, runOf: date.date, tasks: request.tasks };
    if (first.status === 'lock_held') {
      return { accepted: false, code: 'LOCK_HELD', message: `another run holds the maintenance lock${first.holder ? ` (${first.holder})` : ''}; try again when it has finished`, holder: first.holder };
    }
    const detail = 'detail' in first ? first.detail : {};
    throw Object.assign(new Error(`the run could not take the lock: ${String(detail['error'] ?? first.status)}`), { code: String(detail['error_code'] ?? 'TRIGGER_FAILED') });
  };

  const status = async (): Promise<unknown> =>
    serviceStatus({
      pool: deps.pool,
      redis: deps.redis,
      keys: deps.keys,
      calendar,
      now: clock.now(),
      sessions: settings.catchUpSessions,
      instance,
      startedAt,
      shuttingDown: stopping !== null,
      running: runner.active(),
      nextRuns: scheduler?.next() ?? [],
      lastCatchUp,
      lastHealthCheck: healthCheck.last(),
    });

  const shutdown = async (): Promise<ShutdownReport> => {
    scheduler?.stop();
    for (const timer of timers) clearInterval(timer);
    stopController.abort();
    logger.info(
      { event: 'service_stopping', running: runner.active().map((r) => ({ job: r.job, date: r.date, trigger: r.trigger })), grace_ms: settings.shutdownGraceMs },
      'stopping: no new work; the task under way may finish',
    );
    const settled = await waitFor([...inflight], settings.shutdownGraceMs);
    if (settled) return { graceful: true, abandoned: [] };
    const abandoned = await runner.abandon();
    logger.warn({ event: 'shutdown_grace_expired', grace_ms: settings.shutdownGraceMs, interrupted: abandoned }, 'the task under way did not finish in time: recorded as interrupted');
    return { graceful: false, abandoned };
  };

  return {
    control: { health, status, trigger },
    instance,
    start() {
      scheduler = (deps.startScheduler ?? startJobScheduler)({ schedules, calendar, clock, logger, onFire });
      timers.push(setInterval(() => void catchUp(), settings.catchUpIntervalMs));
      timers.push(setInterval(() => void runHealthCheck(), settings.healthCheckIntervalMs));
      logger.info({ event: 'service_started', instance, catch_up_sessions: settings.catchUpSessions }, 'maintenance service started');
      void catchUp();
      void runHealthCheck();
    },
    catchUp,
    healthCheck: runHealthCheck,
    shutdown() {
      stopping ??= shutdown();
      return stopping;
    },
  };
}

/** True when every promise settled within `ms`. */
async function waitFor(promises: readonly Promise<unknown>[], ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const all = Promise.allSettled(promises).then(() => true as const);
  try {
    return await Promise.race([all, expired]);
  } finally {
    clearTimeout(timer);
  }
}
