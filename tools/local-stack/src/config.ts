import { isAbsolute, resolve } from 'node:path';
import { createRedisKeys } from '@scanner/redis-keys';
import { StackError } from './stack-error.js';

/**
 * The environment of `npm start`, read in this one module. The apps' own variables (REDIS_URL,
 * DATABASE_URL, PGSCHEMA, REDIS_KEY_PREFIX, PORT, CONTROL_PORT, CLEAR_CACHE_TOKEN, ...) keep their
 * meaning; LOCAL_STACK_* are the stack's own. A blank variable counts as unset, as in the apps.
 */

export type RedisMode = 'auto' | 'private';
export type PostgresMode = 'auto' | 'embedded';

export interface StackConfig {
  readonly repoRoot: string;
  /** Where the private Redis and the embedded PostgreSQL keep their data. */
  readonly dataDir: string;
  readonly redis: {
    /** REDIS_URL when set: used as is, never replaced by a private Redis. */
    readonly url: string | null;
    readonly mode: RedisMode;
    /** Port of a private redis-server; 0 = any free port. */
    readonly privatePort: number;
  };
  readonly postgres: {
    /** DATABASE_URL when set: used as is, never replaced by an embedded PostgreSQL. */
    readonly url: string | null;
    readonly mode: PostgresMode;
    /** Port of the embedded PostgreSQL; 0 = any free port. */
    readonly embeddedPort: number;
  };
  /** The websocket-server's PORT (0 = any free port) and listen address. */
  readonly wsPort: number;
  readonly wsHost: string;
  /** The websocket-server's WS_PATH, for the URL printed at the end. */
  readonly wsPath: string;
  /** DEMO_DIR when set: a demo bundle the user builds, not the stack. */
  readonly demoDir: string | null;
  /** The maintenance service's CONTROL_PORT (0 = any free port). */
  readonly controlPort: number;
  readonly keyPrefix: string;
  readonly schema: string;
  /** Sessions the first start loads; null = enough for the configured ATR and RVOL windows. */
  readonly bootstrapSessions: number | null;
  /** What the history must cover (ATR_PERIOD, RVOL_LOOKBACK_SESSIONS, CATCH_UP_SESSIONS of the maintenance service). */
  readonly history: { readonly atrPeriod: number; readonly rvolSessions: number; readonly catchUpSessions: number };
  /** Shared by the websocket-server and the maintenance service; null = a random one per start. */
  readonly clearCacheToken: string | null;
  /** How long the maintenance service may take to stop (its SHUTDOWN_GRACE_MS plus a margin). */
  readonly maintenanceStopMs: number;
  /** How long to wait for each service to be ready. */
  readonly readyTimeoutMs: number;
  /** Started by an npm script (`npm start`): npm's shell sits between npm and us. */
  readonly underNpm: boolean;
  /** The environment given to every child, before the stack's own settings are laid over it. */
  readonly childEnv: Readonly<Record<string, string>>;
}

export const DEFAULT_PORTS = { ws: 9000, control: 9100, privateRedis: 56379, embeddedPostgres: 55432 } as const;
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';
/** What the apps default to (apps/data-maintenance/src/config.ts). */
export const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const MAINTENANCE_DEFAULT_GRACE_MS = 25_000;
/** Past the maintenance service's own grace: it may still close its clients and the control port. */
const MAINTENANCE_STOP_MARGIN_MS = 10_000;

type Env = Readonly<Record<string, string | undefined>>;

interface Problem {
  readonly variable: string;
  readonly message: string;
}

function present(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function loadConfig(env: Env, repoRoot: string): StackConfig {
  const problems: Problem[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const text = present(env, name);
    if (text === undefined) return fallback;
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push({ variable: name, message: `expected a whole number ${min}..${max}, got ${JSON.stringify(text)}` });
      return fallback;
    }
    return value;
  };
  const choice = <T extends string>(name: string, values: readonly T[], fallback: T): T => {
    const text = present(env, name)?.toLowerCase();
    if (text === undefined) return fallback;
    if ((values as readonly string[]).includes(text)) return text as T;
    problems.push({ variable: name, message: `expected one of ${values.join(', ')}, got ${JSON.stringify(text)}` });
    return fallback;
  };
  const urlOf = (name: string, protocols: readonly string[], example: string): string | null => {
    const text = present(env, name);
    if (text === undefined) return null;
    if (!URL.canParse(text) || !protocols.includes(new URL(text).protocol)) {
      problems.push({ variable: name, message: `expected a URL such as ${example}` });
      return null;
    }
    return text;
  };

  const redisUrl = urlOf('REDIS_URL', ['redis:', 'rediss:'], LOCAL_REDIS_URL);
  const databaseUrl = urlOf('DATABASE_URL', ['postgres:', 'postgresql:'], LOCAL_DATABASE_URL);
  const redisMode = choice<RedisMode>('LOCAL_STACK_REDIS', ['auto', 'private'], 'auto');
  const postgresMode = choice<PostgresMode>('LOCAL_STACK_POSTGRES', ['auto', 'embedded'], 'auto');
  if (redisUrl !== null && redisMode === 'private') {
    problems.push({ variable: 'LOCAL_STACK_REDIS', message: 'private cannot be combined with REDIS_URL: unset one of them' });
  }
  if (databaseUrl !== null && postgresMode === 'embedded') {
    problems.push({ variable: 'LOCAL_STACK_POSTGRES', message: 'embedded cannot be combined with DATABASE_URL: unset one of them' });
  }

  const keyPrefix = env['REDIS_KEY_PREFIX'] ?? '';
  try {
    createRedisKeys(keyPrefix);
  } catch {
    problems.push({ variable: 'REDIS_KEY_PREFIX', message: 'up to 128 printable ASCII characters without whitespace, * ? [ ] or \\' });
  }
  const schema = present(env, 'PGSCHEMA') ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    problems.push({ variable: 'PGSCHEMA', message: 'expected an SQL identifier (letters, digits, _)' });
  }
  const clearCacheToken = present(env, 'CLEAR_CACHE_TOKEN') ?? null;
  if (clearCacheToken !== null && clearCacheToken.length < 16) {
    problems.push({ variable: 'CLEAR_CACHE_TOKEN', message: 'must be at least 16 characters' });
  }

  const ports = {
    ws: int('PORT', DEFAULT_PORTS.ws, 0, 65_535),
    control: int('CONTROL_PORT', DEFAULT_PORTS.control, 0, 65_535),
    privateRedis: int('LOCAL_STACK_REDIS_PORT', DEFAULT_PORTS.privateRedis, 0, 65_535),
    embeddedPostgres: int('LOCAL_STACK_PG_PORT', DEFAULT_PORTS.embeddedPostgres, 0, 65_535),
  };
  const fixed: Array<[string, number]> = [
    ['PORT', ports.ws],
    ['CONTROL_PORT', ports.control],
    ['LOCAL_STACK_REDIS_PORT', ports.privateRedis],
    ['LOCAL_STACK_PG_PORT', ports.embeddedPostgres],
  ];
  for (const [i, [name, port]] of fixed.entries()) {
    const clash = fixed.slice(0, i).find(([, other]) => port !== 0 && other === port);
    if (clash) problems.push({ variable: name, message: `port ${port} is also ${clash[0]}` });
  }

  const bootstrapText = present(env, 'LOCAL_STACK_BOOTSTRAP_SESSIONS');
  const bootstrapSessions = bootstrapText === undefined ? null : int('LOCAL_STACK_BOOTSTRAP_SESSIONS', 0, 1, 1000);
  const graceMs = int('SHUTDOWN_GRACE_MS', MAINTENANCE_DEFAULT_GRACE_MS, 0, 600_000);
  const config: StackConfig = {
    repoRoot,
    dataDir: resolveDir(present(env, 'LOCAL_STACK_DIR'), repoRoot),
    redis: { url: redisUrl, mode: redisMode, privatePort: ports.privateRedis },
    postgres: { url: databaseUrl, mode: postgresMode, embeddedPort: ports.embeddedPostgres },
    wsPort: ports.ws,
    wsHost: present(env, 'HOST') ?? '127.0.0.1',
    wsPath: present(env, 'WS_PATH') ?? '/ws/scanner',
    demoDir: present(env, 'DEMO_DIR') ?? null,
    controlPort: ports.control,
    keyPrefix,
    schema,
    bootstrapSessions,
    // Read only to size the bootstrap; the maintenance service validates them itself.
    history: {
      atrPeriod: int('ATR_PERIOD', 14, 1, 200),
      rvolSessions: int('RVOL_LOOKBACK_SESSIONS', 5, 1, 60),
      catchUpSessions: int('CATCH_UP_SESSIONS', 10, 1, 250),
    },
    clearCacheToken,
    maintenanceStopMs: graceMs + MAINTENANCE_STOP_MARGIN_MS,
    readyTimeoutMs: int('LOCAL_STACK_READY_TIMEOUT_MS', 120_000, 1000, 3_600_000),
    underNpm: present(env, 'npm_lifecycle_event') !== undefined,
    childEnv: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
  };
  if (problems.length > 0) {
    throw new StackError('CONFIG_INVALID', `bad environment: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`);
  }
  return config;
}

function resolveDir(value: string | undefined, repoRoot: string): string {
  if (value === undefined) return resolve(repoRoot, '.local-stack');
  return isAbsolute(value) ? value : resolve(repoRoot, value);
}
