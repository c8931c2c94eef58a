import { DEFAULT_TTL_GRACE_SECONDS, createRedisKeys } from '@scanner/redis-keys';
import { MARKET_CLOSE_MINUTE, PRE_MARKET_OPEN_MINUTE, parseWallClock } from '@scanner/market-calendar';
import { z } from 'zod';
import { type SourceConfig, sourceConfigSchema } from './sources/source-config.js';

/** Every variable that is wrong, at once, so an operator fixes the environment in one go. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: ReadonlyArray<{ readonly variable: string; readonly message: string }>) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface MaintenanceConfig {
  readonly database: { readonly url: string; readonly schema: string };
  readonly redis: { readonly url: string; readonly keyPrefix: string; readonly chunkSize: number };
  readonly source: SourceConfig;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly tasks: TaskSettings;
  readonly schedules: ScheduleConfig;
  readonly newDay: NewDayConfig;
  readonly service: ServiceConfig;
}

/** When the service's three jobs fire, in New York wall time (DESIGN 5.1). */
export interface ScheduleConfig {
  /** Minutes after New York midnight of the new-day announcement, on trading days; before the 04:00 pre-market. */
  readonly newDayMinute: number;
  /** Minutes after New York midnight of the daily cycle, on trading days (= tasks.maintenanceMinuteOfDay). */
  readonly dailyMinute: number;
  /** The weekly partition cleanup: weekday 0 = Sunday ... 6 = Saturday, and minutes after midnight. */
  readonly weeklyCleanup: { readonly weekday: number; readonly minute: number };
}

/** What the new-day job does besides SET trading:current_day and PUBLISH trading:new_day. */
export interface NewDayConfig {
  /** SCAN MATCH patterns of day caches to UNLINK, relative to REDIS_KEY_PREFIX (the seed's default: none). */
  readonly clearPatterns: readonly string[];
  /** The WebSocket server's POST /api/clear-cache, the fallback to Pub/Sub; null: not called. */
  readonly clearCacheUrl: string | null;
  /** Its bearer token (the WebSocket server's CLEAR_CACHE_TOKEN). */
  readonly clearCacheToken: string | null;
  readonly clearCacheTimeoutMs: number;
}

/** The long-running service (`maintenance serve`). */
export interface ServiceConfig {
  readonly control: { readonly host: string; readonly port: number; readonly token: string | null };
  /** Sessions back the catch-up compares with the ledger. */
  readonly catchUpSessions: number;
  readonly catchUpIntervalMs: number;
  readonly healthCheckIntervalMs: number;
  /** How long a dead holder keeps a runner lock. */
  readonly lockLeaseMs: number;
  /** On SIGTERM, how long the task under way may take to finish before it is recorded as interrupted. */
  readonly shutdownGraceMs: number;
}

export const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** The knobs the tasks read; all have the seed's defaults. */
export interface TaskSettings {
  /** volume_slots partitions older than this many calendar days are dropped by the weekly cleanup. */
  readonly retentionDays: number;
  /** Full sessions averaged for the RVOL baseline. */
  readonly rvolSessions: number;
  readonly atrPeriod: number;
  /** Stored sessions the ATR is computed over (Wilder smoothing depends on its start). */
  readonly atrMaxSessions: number;
  /** Minutes after New York midnight of the daily run; the Redis TTLs last until the next one. */
  readonly maintenanceMinuteOfDay: number;
  /** Extra TTL past the next run, for a run that is late or caught up. */
  readonly ttlGraceSeconds: number;
  /** A symbol with no daily bar in this many sessions leaves the universe (a halt of a day or two does not). */
  readonly inactiveAfterSessions: number;
}

const int = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { error: 'expected a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);

const schemaName = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A run before the regular close (16:00; early closes end sooner) would load an incomplete day, and
 * the cache TTLs, which last until the next session's run time, would lapse before that session opens
 * (09:00 with no grace: gone at 09:00, the scanner reads nothing at 09:30). HH:MM stops at 23:59, which
 * keeps the run on the session's own New York date, as the target date and the TTLs assume.
 */
const DAILY_TIME_EARLIEST = MARKET_CLOSE_MINUTE;

function wallClockMinute(value: string): number | null {
  try {
    return parseWallClock(value);
  } catch {
    return null;
  }
}

const wallTime = (fallback: string, check: (minute: number) => boolean, rule: string) =>
  z
    .string()
    .trim()
    .refine((v) => wallClockMinute(v) !== null, { error: 'expected a New York wall time HH:MM' })
    .refine((v) => check(wallClockMinute(v) ?? 0), { error: rule })
    .default(fallback);

const optionalToken = z
  .string()
  .refine((v) => v.length >= 16, { error: 'must be at least 16 characters' })
  .optional()
  .transform((v) => v ?? null);

/** A pattern of wildcards alone would match every key of the prefix, the service's own included. */
const clearPattern = /^[\x21-\x7e]{1,200}$/;

const baseSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .refine((v) => /^postgres(ql)?:\/\//.test(v) && URL.canParse(v), { error: 'expected a postgres:// URL' })
    .default('postgres://postgres@127.0.0.1:5432/test'),
  PGSCHEMA: z.string().trim().regex(schemaName, { error: 'expected an SQL identifier (letters, digits, _)' }).default('public'),
  REDIS_URL: z
    .string()
    .trim()
    .refine((v) => /^rediss?:\/\//.test(v) && URL.canParse(v), { error: 'expected a redis:// or rediss:// URL' })
    .default('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z
    .string()
    .default('')
    .refine(
      (v) => {
        try {
          createRedisKeys(v);
          return true;
        } catch {
          return false;
        }
      },
      { error: 'up to 128 printable ASCII characters without whitespace, * ? [ ] or \\' },
    ),
  REDIS_PIPELINE_CHUNK: int(1, 100_000, 500),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  VOLUME_SLOTS_RETENTION_DAYS: int(1, 3650, 15),
  RVOL_LOOKBACK_SESSIONS: int(1, 60, 5),
  ATR_PERIOD: int(1, 200, 14),
  ATR_MAX_SESSIONS: int(2, 5000, 100),
  MAINTENANCE_DAILY_TIME: z
    .string()
    .trim()
    .refine((v) => wallClockMinute(v) !== null, { error: 'expected a New York wall time HH:MM' })
    .refine((v) => (wallClockMinute(v) ?? DAILY_TIME_EARLIEST) >= DAILY_TIME_EARLIEST, {
      error: 'must be at or after 16:00 New York (the regular close) and before 24:00',
    })
    .default('17:00'),
  REDIS_TTL_GRACE_SECONDS: int(0, 7 * 86_400, DEFAULT_TTL_GRACE_SECONDS),
  UNIVERSE_INACTIVE_AFTER_SESSIONS: int(1, 250, 5),
  // The announcement must land before the pre-market opens at 04:00, or clients see yesterday's rows.
  NEW_DAY_TIME: wallTime('03:00', (m) => m < PRE_MARKET_OPEN_MINUTE, 'must be before 04:00 New York (the pre-market open)'),
  WEEKLY_CLEANUP_DAY: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(WEEKDAY_NAMES, { error: `expected one of ${WEEKDAY_NAMES.join(', ')}` }))
    .default('sunday'),
  WEEKLY_CLEANUP_TIME: wallTime('03:00', () => true, ''),
  NEW_DAY_CLEAR_PATTERNS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((p) => p.trim()).filter((p) => p !== ''))
    .refine((list) => list.every((p) => clearPattern.test(p)), { error: 'comma-separated patterns of printable ASCII, no spaces' })
    .refine((list) => list.every((p) => /[^*?]/.test(p)), { error: 'a pattern of wildcards alone would delete every key' }),
  WEBSOCKET_CLEAR_CACHE_URL: z
    .string()
    .trim()
    .refine((v) => v === 'none' || (/^https?:\/\//.test(v) && URL.canParse(v)), { error: 'expected an http(s):// URL, or none' })
    .default('http://127.0.0.1:9000/api/clear-cache')
    .transform((v) => (v === 'none' ? null : v)),
  CLEAR_CACHE_TOKEN: optionalToken,
  CLEAR_CACHE_TIMEOUT_MS: int(100, 60_000, 5000),
  CONTROL_HOST: z.string().trim().min(1).default('127.0.0.1'),
  CONTROL_PORT: int(0, 65_535, 9100),
  CONTROL_TOKEN: optionalToken,
  CATCH_UP_SESSIONS: int(1, 250, 10),
  CATCH_UP_INTERVAL_MS: int(1000, 86_400_000, 15 * 60_000),
  HEALTH_CHECK_INTERVAL_MS: int(1000, 86_400_000, 60_000),
  MAINTENANCE_LOCK_LEASE_MS: int(1000, 600_000, 60_000),
  SHUTDOWN_GRACE_MS: int(0, 600_000, 25_000),
});

/** Reads the environment given (never `process.env` directly) and returns the typed config or throws ConfigError. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): MaintenanceConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const base = baseSchema.safeParse(cleaned);
  const source = sourceConfigSchema.safeParse(cleaned);
  const problems = [...issuesOf(base), ...issuesOf(source)];
  if (!base.success || !source.success) throw new ConfigError(problems);
  const e = base.data;
  if (e.ATR_MAX_SESSIONS <= e.ATR_PERIOD) {
    throw new ConfigError([{ variable: 'ATR_MAX_SESSIONS', message: `must exceed ATR_PERIOD (${e.ATR_PERIOD})` }]);
  }
  return {
    database: { url: e.DATABASE_URL, schema: e.PGSCHEMA },
    redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX, chunkSize: e.REDIS_PIPELINE_CHUNK },
    source: source.data,
    logLevel: e.LOG_LEVEL,
    tasks: {
      retentionDays: e.VOLUME_SLOTS_RETENTION_DAYS,
      rvolSessions: e.RVOL_LOOKBACK_SESSIONS,
      atrPeriod: e.ATR_PERIOD,
      atrMaxSessions: e.ATR_MAX_SESSIONS,
      maintenanceMinuteOfDay: parseWallClock(e.MAINTENANCE_DAILY_TIME),
      ttlGraceSeconds: e.REDIS_TTL_GRACE_SECONDS,
      inactiveAfterSessions: e.UNIVERSE_INACTIVE_AFTER_SESSIONS,
    },
    schedules: {
      newDayMinute: parseWallClock(e.NEW_DAY_TIME),
      dailyMinute: parseWallClock(e.MAINTENANCE_DAILY_TIME),
      weeklyCleanup: { weekday: WEEKDAY_NAMES.indexOf(e.WEEKLY_CLEANUP_DAY), minute: parseWallClock(e.WEEKLY_CLEANUP_TIME) },
    },
    newDay: {
      clearPatterns: e.NEW_DAY_CLEAR_PATTERNS,
      clearCacheUrl: e.WEBSOCKET_CLEAR_CACHE_URL,
      clearCacheToken: e.CLEAR_CACHE_TOKEN,
      clearCacheTimeoutMs: e.CLEAR_CACHE_TIMEOUT_MS,
    },
    service: {
      control: { host: e.CONTROL_HOST, port: e.CONTROL_PORT, token: e.CONTROL_TOKEN },
      catchUpSessions: e.CATCH_UP_SESSIONS,
      catchUpIntervalMs: e.CATCH_UP_INTERVAL_MS,
      healthCheckIntervalMs: e.HEALTH_CHECK_INTERVAL_MS,
      lockLeaseMs: e.MAINTENANCE_LOCK_LEASE_MS,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    },
  };
}

function issuesOf(result: { success: boolean; error?: z.ZodError }): Array<{ variable: string; message: string }> {
  if (result.success || !result.error) return [];
  return result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '(environment)'), message: issue.message }));
}
