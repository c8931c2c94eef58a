import { randomBytes } from 'node:crypto';
import type { Clock, TradingCalendar } from '@scanner/market-calendar';
import { describeExit } from '../adapters/child-process.js';
import { ensureDemoBundle } from '../adapters/demo-bundle.js';
import { startEmbeddedPostgres } from '../adapters/embedded-postgres.js';
import { startPrivateRedis } from '../adapters/private-redis.js';
import { freePort, portIsFree } from '../adapters/probes.js';
import { runProbes } from '../adapters/run-probes.js';
import type { StackConfig } from '../config.js';
import type { StackLog } from '../log/stack-log.js';
import { defaultBootstrapSessions } from '../plan/bootstrap-plan.js';
import { childEnvs, demoUrl, dialHost } from '../plan/child-env.js';
import { type ServicePlan, planServices, redactUrl } from '../plan/service-plan.js';
import { StackError } from '../stack-error.js';
import { prepareDatabase } from './prepare-database.js';
import type { RunningSet } from './running-set.js';
import { startApps } from './start-apps.js';

/**
 * `npm start`: pick or start Redis and PostgreSQL, migrate, load history once, start the three
 * services, print the demo URL, then watch. Returns the exit code: 0 when stopped on request, 1 when
 * something could not start or a child died on its own (everything else is stopped first, in order).
 */

export interface StackDeps {
  readonly config: StackConfig;
  readonly log: StackLog;
  readonly clock: Clock;
  readonly calendar: TradingCalendar;
  /** Aborted on SIGINT/SIGTERM. */
  readonly stop: AbortSignal;
  readonly running: RunningSet;
}

const REDIS_STOP_MS = 15_000;
const POSTGRES_STOP_MS = 30_000;

export async function runStack(deps: StackDeps): Promise<number> {
  const { log, running } = deps;
  try {
    await startStack(deps);
  } catch (error) {
    if (deps.stop.aborted) {
      log.stack('stop requested while starting: stopping what was started');
      await running.stopAll();
      log.stack('stopped');
      return 0;
    }
    const failure = error instanceof StackError ? error : new StackError('SERVICE_START_FAILED', error instanceof Error ? error.message : String(error));
    log.stack(`error ${failure.code}: ${failure.message}`);
    await running.stopAll();
    return 1;
  }

  const outcome = await Promise.race([
    new Promise<null>((resolve) => {
      if (deps.stop.aborted) resolve(null);
      deps.stop.addEventListener('abort', () => resolve(null), { once: true });
    }),
    running.firstUnexpectedExit(),
  ]);
  if (outcome === null) {
    log.stack('stop requested: stopping the services, then the stores');
    await running.stopAll();
    log.stack('stopped');
    return 0;
  }
  log.stack(`error CHILD_EXITED: the ${outcome.label} ${describeExit(outcome.exit)} unexpectedly; stopping everything`);
  await running.stopAll();
  return 1;
}

async function startStack(deps: StackDeps): Promise<void> {
  const { config, log, running, stop } = deps;
  const plan = planServices(config, await runProbes(config));
  const wsPort = await resolvePort(config.wsPort, config.wsHost, 'websocket-server', 'PORT');
  const controlPort = await resolvePort(config.controlPort, '127.0.0.1', 'maintenance control port', 'CONTROL_PORT');

  const redisUrl = await provideRedis(deps, plan);
  const { url: databaseUrl, where } = await providePostgres(deps, plan);

  const clearCacheToken = config.clearCacheToken ?? randomBytes(24).toString('hex');
  const envs = childEnvs(config, { redisUrl, databaseUrl, wsPort, controlPort, clearCacheToken });
  const sessions = config.bootstrapSessions ?? defaultBootstrapSessions(config.history);
  await prepareDatabase({
    repoRoot: config.repoRoot,
    env: envs.maintenanceCli,
    log,
    signal: stop,
    clock: deps.clock,
    calendar: deps.calendar,
    sessions,
    where,
    source: envs.maintenance['MARKET_DATA_SOURCE'] ?? 'synthetic',
  });

  await ensureDemoBundle({ repoRoot: config.repoRoot, customDir: config.demoDir, env: envs.ws, log, signal: stop });
  await startApps({
    repoRoot: config.repoRoot,
    envs,
    log,
    running,
    signal: stop,
    readyTimeoutMs: config.readyTimeoutMs,
    readyzUrl: `http://${dialHost(config.wsHost)}:${wsPort}/readyz`,
    healthUrl: `http://127.0.0.1:${controlPort}/health`,
    maintenanceStopMs: config.maintenanceStopMs,
  });

  log.stack('ready:');
  log.stack(`  demo page        ${demoUrl(config, wsPort)}`);
  log.stack(`  websocket        ws://${dialHost(config.wsHost)}:${wsPort}${config.wsPath}`);
  log.stack(`  maintenance      http://127.0.0.1:${controlPort}/status`);
  log.stack(`  Redis            ${redactUrl(redisUrl)}${config.keyPrefix === '' ? '' : ` (key prefix ${config.keyPrefix})`}`);
  log.stack(`  PostgreSQL       ${where}`);
  log.stack('Ctrl-C stops everything.');
}

async function resolvePort(port: number, host: string, what: string, variable: string): Promise<number> {
  if (port === 0) return freePort();
  if (await portIsFree(host, port)) return port;
  throw new StackError('PORT_IN_USE', `Port ${port} for the ${what} is in use (an earlier npm start still running?): stop what holds it or set ${variable}.`);
}

async function provideRedis(deps: StackDeps, plan: ServicePlan): Promise<string> {
  const { config, log, running } = deps;
  const redis = plan.redis;
  switch (redis.kind) {
    case 'configured':
      log.stack(`Redis: ${redactUrl(redis.url)} (REDIS_URL)`);
      return redis.url;
    case 'local':
      log.stack(`Redis: ${redis.url} answers; using it`);
      return redis.url;
    case 'private': {
      const port = redis.port === 0 ? await freePort() : redis.port;
      log.stack(`Redis: ${config.redis.mode === 'private' ? 'LOCAL_STACK_REDIS=private' : 'none answers on 127.0.0.1:6379'}; starting a private one`);
      const started = await startPrivateRedis({
        executable: redis.executable,
        port,
        dir: redis.dir,
        log,
        timeoutMs: config.readyTimeoutMs,
        signal: deps.stop,
        env: config.childEnv,
      });
      running.add({ label: 'private Redis', child: started.child, tier: 1, stopSignal: 'SIGTERM', stopTimeoutMs: REDIS_STOP_MS });
      return started.url;
    }
  }
}

async function providePostgres(deps: StackDeps, plan: ServicePlan): Promise<{ url: string; where: string }> {
  const { config, log, running } = deps;
  const postgres = plan.postgres;
  const schema = `schema ${config.schema}`;
  switch (postgres.kind) {
    case 'configured':
      log.stack(`PostgreSQL: ${redactUrl(postgres.url)} (DATABASE_URL)`);
      return { url: postgres.url, where: `${redactUrl(postgres.url)}, ${schema}` };
    case 'local':
      log.stack(`PostgreSQL: ${postgres.url} answers; using it`);
      return { url: postgres.url, where: `${postgres.url}, ${schema}` };
    case 'embedded': {
      const port = postgres.port === 0 ? await freePort() : postgres.port;
      const why = config.postgres.mode === 'embedded' ? 'LOCAL_STACK_POSTGRES=embedded' : 'none answers on 127.0.0.1:5432';
      log.stack(`PostgreSQL: ${why}; starting an embedded one on 127.0.0.1:${port}`);
      const started = await startEmbeddedPostgres({
        dir: postgres.dir,
        port,
        database: postgres.database,
        log,
        timeoutMs: config.readyTimeoutMs,
        signal: deps.stop,
        env: config.childEnv,
      });
      // SIGINT is PostgreSQL's fast shutdown: sessions end, a checkpoint is written, no recovery next time.
      running.add({ label: 'embedded PostgreSQL', child: started.child, tier: 2, stopSignal: 'SIGINT', stopTimeoutMs: POSTGRES_STOP_MS });
      return { url: started.url, where: `${started.url} (embedded, data in ${postgres.dir}), ${schema}` };
    }
  }
}
