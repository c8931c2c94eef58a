import { z } from 'zod';
import { SOURCE_NAMES } from './market-data-source.js';
import { DEFAULT_SYNTHETIC_SEED, DEFAULT_SYNTHETIC_UNIVERSE_SIZE } from './synthetic/synthetic-source.js';
import { MAX_SYNTHETIC_UNIVERSE } from './synthetic/universe.js';

/**
 * The market data source's part of the environment (composed by src/config.ts). Parses the raw
 * environment (strings) into a typed `SourceConfig`; every issue's path names its variable. Variables
 * of the sources not chosen are still validated when set: a typo is reported, not ignored.
 */

/** Polygon's defaults: for an unset variable here, and for an option the client is not given. */
export const POLYGON_DEFAULTS = {
  baseUrl: 'https://api.polygon.io',
  requestsPerSecond: 50,
  concurrency: 16,
  timeoutMs: 30_000,
  maxRetries: 5,
  floatEnabled: true,
} as const;

export interface PolygonSourceConfig {
  readonly kind: 'polygon';
  /** Secret: never log it (see `redactSourceConfig`). */
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly requestsPerSecond: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /** Whether to call the float endpoint (`/stocks/vX/float`), which not every plan includes. */
  readonly floatEnabled: boolean;
}

export interface FlatFilesSourceConfig {
  readonly kind: 'flatfiles';
  readonly dir: string;
}

export interface SyntheticSourceConfig {
  readonly kind: 'synthetic';
  readonly universeSize: number;
  readonly seed: number;
}

export type SourceConfig = PolygonSourceConfig | FlatFilesSourceConfig | SyntheticSourceConfig;

const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, { error: 'expected a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);

const positiveNumber = (max: number, fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, { error: 'expected a positive number' })
    .transform(Number)
    .pipe(z.number().positive().max(max))
    .default(fallback);

const flag = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' }))
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .default(fallback);

/** The raw shape, for a caller that wants to list or document the variables. */
export const sourceEnvShape = {
  MARKET_DATA_SOURCE: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(SOURCE_NAMES, { error: `expected one of ${SOURCE_NAMES.join(', ')}` }))
    .default('polygon'),
  POLYGON_API_KEY: z.string().trim().min(1, { error: 'must not be empty' }).optional(),
  POLYGON_BASE_URL: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), { error: 'expected an http(s) URL such as https://api.polygon.io' })
    .transform((v) => v.replace(/\/+$/, ''))
    .default(POLYGON_DEFAULTS.baseUrl),
  /** May be fractional: the free plan allows 5 requests a minute (0.083). */
  POLYGON_RPS: positiveNumber(10_000, POLYGON_DEFAULTS.requestsPerSecond),
  POLYGON_CONCURRENCY: wholeNumber(1, 1024, POLYGON_DEFAULTS.concurrency),
  POLYGON_TIMEOUT_MS: wholeNumber(100, 600_000, POLYGON_DEFAULTS.timeoutMs),
  POLYGON_MAX_RETRIES: wholeNumber(0, 20, POLYGON_DEFAULTS.maxRetries),
  POLYGON_FLOAT_ENABLED: flag(POLYGON_DEFAULTS.floatEnabled),
  FLATFILES_DIR: z.string().trim().min(1, { error: 'must not be empty' }).optional(),
  SYNTHETIC_UNIVERSE_SIZE: wholeNumber(1, MAX_SYNTHETIC_UNIVERSE, DEFAULT_SYNTHETIC_UNIVERSE_SIZE),
  SYNTHETIC_SEED: wholeNumber(-(2 ** 31), 2 ** 31 - 1, DEFAULT_SYNTHETIC_SEED),
};

export const sourceConfigSchema = z
  .object(sourceEnvShape)
  .superRefine((env, ctx) => {
    if (env.MARKET_DATA_SOURCE === 'polygon' && env.POLYGON_API_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['POLYGON_API_KEY'],
        message: 'required when MARKET_DATA_SOURCE=polygon (the default); or set MARKET_DATA_SOURCE=flatfiles or synthetic',
      });
    }
    if (env.MARKET_DATA_SOURCE === 'flatfiles' && env.FLATFILES_DIR === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['FLATFILES_DIR'],
        message: 'required when MARKET_DATA_SOURCE=flatfiles: the directory holding us_stocks_sip/',
      });
    }
  })
  .transform((env): SourceConfig => {
    switch (env.MARKET_DATA_SOURCE) {
      case 'polygon':
        return {
          kind: 'polygon',
          apiKey: env.POLYGON_API_KEY ?? '',
          baseUrl: env.POLYGON_BASE_URL,
          requestsPerSecond: env.POLYGON_RPS,
          concurrency: env.POLYGON_CONCURRENCY,
          timeoutMs: env.POLYGON_TIMEOUT_MS,
          maxRetries: env.POLYGON_MAX_RETRIES,
          floatEnabled: env.POLYGON_FLOAT_ENABLED,
        };
      case 'flatfiles':
        return { kind: 'flatfiles', dir: env.FLATFILES_DIR ?? '' };
      case 'synthetic':
        return { kind: 'synthetic', universeSize: env.SYNTHETIC_UNIVERSE_SIZE, seed: env.SYNTHETIC_SEED };
    }
  });

/** The config with the API key masked, for logs and status output. */
export function redactSourceConfig(config: SourceConfig): SourceConfig {
  return config.kind === 'polygon' ? { ...config, apiKey: '[redacted]' } : config;
}
