import { resolve } from 'node:path';
import { MAX_CLIENT_MESSAGE_LENGTH } from '@scanner/shared-types';
import { createRedisKeys } from '@scanner/redis-keys';
import { z } from 'zod';
import type { SlowConsumerLimits } from './core/slow-consumer.js';

/** One refused variable: the name an operator greps for and why it was refused. */
export interface ConfigIssue {
  readonly variable: string;
  readonly message: string;
}

/** Thrown by loadConfig with every bad variable at once, so one restart fixes them all. */
export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`invalid configuration: ${issues.map((i) => `${i.variable}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

export type AuthConfig =
  | { readonly kind: 'none' }
  | { readonly kind: 'hs256'; readonly secret: string; readonly issuer?: string; readonly audience?: string }
  | { readonly kind: 'jwks'; readonly jwksUrl: URL; readonly issuer?: string; readonly audience?: string };

export interface LimitsConfig {
  readonly maxPayloadBytes: number;
  readonly maxSubscriptionsPerConnection: number;
  readonly messageRatePerSecond: number;
  readonly messageRateBurst: number;
  /** Refused messages within RATE_LIMIT_WINDOW_MS that close the connection with 4029. */
  readonly rateLimitMaxViolations: number;
  readonly rateLimitWindowMs: number;
  readonly maxConnections: number;
}

export interface SlowClientConfig extends SlowConsumerLimits {
  readonly checkIntervalMs: number;
}

export interface DemoPageConfig {
  /** false: GET / and the bundle answer 404 like any unknown path. */
  readonly enabled: boolean;
  /** Absolute path of the built page (index.html, assets/). */
  readonly dir: string;
}

/**
 * The vite build's output, `dist/demo` in the app's folder. This module runs as src/config.ts (tsx)
 * or dist/config.js (the build), both one level below that folder, so the path holds for either.
 */
export const DEFAULT_DEMO_DIR = resolve(import.meta.dirname, '..', 'dist', 'demo');

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly wsPath: string;
  readonly redisUrl: string;
  readonly redisKeyPrefix: string;
  readonly clearCacheToken: string | null;
  readonly auth: AuthConfig;
  readonly limits: LimitsConfig;
  readonly slowClient: SlowClientConfig;
  readonly pingIntervalMs: number;
  readonly newDayCheckIntervalMs: number;
  readonly snapshotCacheMax: number;
  readonly streamBlockMs: number;
  readonly streamReadCount: number;
  /** Stream entries applied between two event-loop turns (StreamReader's yieldEvery). */
  readonly streamYieldEvery: number;
  /** Bound on a command of the commands connection (snapshot reads, the current day). */
  readonly redisCommandTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly logLevel: LogLevel;
  readonly demo: DemoPageConfig;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Env = Record<string, string | undefined>;

/** An unset or blank variable takes its default: `FOO=` in a compose file means "not set". */
function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function int(fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const text = present(raw);
      if (text === undefined) return fallback;
      if (!/^\d+$/.test(text)) {
        ctx.addIssue({ code: 'custom', message: `expected a whole number, got ${JSON.stringify(text)}` });
        return z.NEVER;
      }
      const value = Number(text);
      if (value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `expected ${min}..${max}, got ${value}` });
        return z.NEVER;
      }
      return value;
    });
}

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

function bool(fallback: boolean) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const word = present(raw)?.toLowerCase();
      if (word === undefined) return fallback;
      if (TRUE_WORDS.includes(word)) return true;
      if (FALSE_WORDS.includes(word)) return false;
      ctx.addIssue({ code: 'custom', message: `expected true or false, got ${JSON.stringify(raw)}` });
      return z.NEVER;
    });
}

function text<F extends string | null>(fallback: F) {
  return z
    .string()
    .optional()
    .transform((raw): string | F => present(raw) ?? fallback);
}

/** A URL with one of `protocols` (e.g. 'redis:'), or `fallback` when unset. */
function url<F extends string | null>(fallback: F, protocols: readonly string[], message: string) {
  return text(fallback).refine((value) => {
    if (value === null) return true;
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, message);
}

const schema = z.object({
  PORT: int(9000, 0, 65_535),
  HOST: text('0.0.0.0'),
  WS_PATH: text('/ws/scanner').refine((v) => v.startsWith('/') && !v.includes('?'), 'expected a path starting with /'),
  REDIS_URL: url('redis://127.0.0.1:6379', ['redis:', 'rediss:'], 'expected a redis:// or rediss:// URL'),
  REDIS_KEY_PREFIX: z
    .string()
    .optional()
    .transform((raw) => raw ?? '')
    .superRefine((value, ctx) => {
      try {
        createRedisKeys(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      }
    }),
  // A token shorter than this is guessable; the endpoint can clear every client's tables.
  CLEAR_CACHE_TOKEN: text(null).refine((v) => v === null || v.length >= 16, 'must be at least 16 characters'),
  // RFC 7518 3.2: an HS256 key must be at least as long as the hash, 256 bits.
  JWT_SECRET: text(null).refine((v) => v === null || v.length >= 32, 'must be at least 32 characters (256 bits)'),
  JWT_JWKS_URL: url(null, ['http:', 'https:'], 'expected an http(s) URL'),
  JWT_ISSUER: text(null),
  JWT_AUDIENCE: text(null),
  MAX_PAYLOAD_BYTES: int(MAX_CLIENT_MESSAGE_LENGTH, 64, 1_048_576),
  MAX_SUBSCRIPTIONS_PER_CONNECTION: int(11, 1, 1000),
  MESSAGE_RATE_PER_SECOND: int(20, 1, 100_000),
  MESSAGE_RATE_BURST: int(40, 1, 100_000),
  RATE_LIMIT_MAX_VIOLATIONS: int(20, 1, 100_000),
  RATE_LIMIT_WINDOW_MS: int(10_000, 100, 3_600_000),
  MAX_CONNECTIONS: int(10_000, 1, 10_000_000),
  SLOW_CLIENT_HIGH_WATERMARK_BYTES: int(1_048_576, 1024),
  SLOW_CLIENT_HARD_LIMIT_BYTES: int(4 * 1_048_576, 1024),
  SLOW_CLIENT_HARD_LIMIT_MS: int(10_000, 0, 3_600_000),
  SLOW_CLIENT_MAX_LAG_MS: int(60_000, 100, 3_600_000),
  SLOW_CLIENT_CHECK_INTERVAL_MS: int(250, 10, 60_000),
  PING_INTERVAL_MS: int(30_000, 100, 3_600_000),
  NEW_DAY_CHECK_INTERVAL_MS: int(15_000, 50, 3_600_000),
  SNAPSHOT_CACHE_MAX: int(64, 1, 100_000),
  STREAM_BLOCK_MS: int(2_000, 1, 60_000),
  STREAM_READ_COUNT: int(500, 1, 100_000),
  STREAM_YIELD_EVERY: int(1, 1, 100_000),
  REDIS_COMMAND_TIMEOUT_MS: int(5_000, 100, 60_000),
  SHUTDOWN_TIMEOUT_MS: int(5_000, 100, 600_000),
  LOG_LEVEL: z
    .string()
    .optional()
    .transform((raw) => present(raw) ?? 'info')
    .pipe(z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` })),
  DEMO_ENABLED: bool(true),
  // A relative DEMO_DIR is taken from the working directory, as any path on a command line.
  DEMO_DIR: text(DEFAULT_DEMO_DIR).transform((dir) => resolve(dir)),
});

/** Reads and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env): ServerConfig {
  const parsed = schema.safeParse(env);
  const fieldIssues: ConfigIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '(env)'), message: issue.message }));
  // Checked whatever else is wrong, so one restart fixes every bad variable.
  const issues = [...fieldIssues, ...crossIssues(env)];
  if (!parsed.success || issues.length > 0) throw new ConfigError(issues);
  const e = parsed.data;

  return {
    port: e.PORT,
    host: e.HOST,
    wsPath: e.WS_PATH,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    clearCacheToken: e.CLEAR_CACHE_TOKEN,
    auth: authOf(e.JWT_SECRET, e.JWT_JWKS_URL, e.JWT_ISSUER, e.JWT_AUDIENCE),
    limits: {
      maxPayloadBytes: e.MAX_PAYLOAD_BYTES,
      maxSubscriptionsPerConnection: e.MAX_SUBSCRIPTIONS_PER_CONNECTION,
      messageRatePerSecond: e.MESSAGE_RATE_PER_SECOND,
      messageRateBurst: e.MESSAGE_RATE_BURST,
      rateLimitMaxViolations: e.RATE_LIMIT_MAX_VIOLATIONS,
      rateLimitWindowMs: e.RATE_LIMIT_WINDOW_MS,
      maxConnections: e.MAX_CONNECTIONS,
    },
    slowClient: {
      highWatermarkBytes: e.SLOW_CLIENT_HIGH_WATERMARK_BYTES,
      hardLimitBytes: e.SLOW_CLIENT_HARD_LIMIT_BYTES,
      hardLimitMs: e.SLOW_CLIENT_HARD_LIMIT_MS,
      maxLagMs: e.SLOW_CLIENT_MAX_LAG_MS,
      checkIntervalMs: e.SLOW_CLIENT_CHECK_INTERVAL_MS,
    },
    pingIntervalMs: e.PING_INTERVAL_MS,
    newDayCheckIntervalMs: e.NEW_DAY_CHECK_INTERVAL_MS,
    snapshotCacheMax: e.SNAPSHOT_CACHE_MAX,
    streamBlockMs: e.STREAM_BLOCK_MS,
    streamReadCount: e.STREAM_READ_COUNT,
    streamYieldEvery: e.STREAM_YIELD_EVERY,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    demo: { enabled: e.DEMO_ENABLED, dir: e.DEMO_DIR },
  };
}

/** Rules between variables, on those that are valid on their own (a bad one is already reported). */
function crossIssues(env: Env): ConfigIssue[] {
  const valueOf = <K extends keyof typeof schema.shape>(name: K) => {
    const result = schema.shape[name].safeParse(env[name]);
    return result.success ? (result.data as z.output<(typeof schema.shape)[K]>) : undefined;
  };
  const issues: ConfigIssue[] = [];
  const secret = valueOf('JWT_SECRET');
  const jwksUrl = valueOf('JWT_JWKS_URL');
  if (secret != null && jwksUrl != null) {
    const message = 'set JWT_SECRET or JWT_JWKS_URL, not both';
    issues.push({ variable: 'JWT_SECRET', message }, { variable: 'JWT_JWKS_URL', message });
  }
  const high = valueOf('SLOW_CLIENT_HIGH_WATERMARK_BYTES');
  const hard = valueOf('SLOW_CLIENT_HARD_LIMIT_BYTES');
  if (high !== undefined && hard !== undefined && hard <= high) {
    issues.push({ variable: 'SLOW_CLIENT_HARD_LIMIT_BYTES', message: `must be above SLOW_CLIENT_HIGH_WATERMARK_BYTES (${high})` });
  }
  const rate = valueOf('MESSAGE_RATE_PER_SECOND');
  const burst = valueOf('MESSAGE_RATE_BURST');
  if (rate !== undefined && burst !== undefined && burst < rate) {
    issues.push({ variable: 'MESSAGE_RATE_BURST', message: `must be at least MESSAGE_RATE_PER_SECOND (${rate})` });
  }
  return issues;
}

function authOf(secret: string | null, jwksUrl: string | null, issuer: string | null, audience: string | null): AuthConfig {
  const claims = { ...(issuer === null ? {} : { issuer }), ...(audience === null ? {} : { audience }) };
  if (secret !== null) return { kind: 'hs256', secret, ...claims };
  if (jwksUrl !== null) return { kind: 'jwks', jwksUrl: new URL(jwksUrl), ...claims };
  return { kind: 'none' };
}
