import { parseArgs } from 'node:util';
import { RedisKeyError, createRedisKeys } from '@scanner/redis-keys';
import { SCANNER_LISTS, type ScannerList } from '@scanner/shared-types';
import { z } from 'zod';

export interface FeedConfig {
  readonly redisUrl: string;
  readonly redisKeyPrefix: string;
  readonly cadenceMs: number;
  /** The first N of SCANNER_LISTS. */
  readonly lists: readonly ScannerList[];
  readonly rowsPerList: number;
  readonly universeSize: number;
  readonly seed: number;
  readonly streamMaxLen: number;
  /** Stop after this many ticks (the start snapshot not counted); null runs until a signal. */
  readonly ticks: number | null;
  /** Simulate a scanner restart every this many ticks; null never. */
  readonly restartEvery: number | null;
  readonly logLevel: LogLevel;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** One setting: its environment variable, its flag (which wins), and its check. */
interface Setting {
  readonly env: string;
  readonly flag: string;
  readonly help: string;
  readonly schema: z.ZodType;
}

const whole = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const optionalWhole = (min: number, max: number) => z.union([z.undefined(), whole(min, max)]).transform((v) => v ?? null);

const prefixSchema = z.string().superRefine((prefix, ctx) => {
  try {
    createRedisKeys(prefix);
  } catch (error) {
    if (!(error instanceof RedisKeyError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});

const SETTINGS = {
  redisUrl: {
    env: 'REDIS_URL',
    flag: 'redis-url',
    help: 'Redis to write to (default redis://127.0.0.1:6379)',
    schema: z
      .string()
      .default('redis://127.0.0.1:6379')
      .refine((url) => /^rediss?:\/\/[^\s]+$/.test(url) && URL.canParse(url), 'must be a redis:// or rediss:// URL'),
  },
  redisKeyPrefix: {
    env: 'REDIS_KEY_PREFIX',
    flag: 'prefix',
    help: 'prefix in front of every key (default none: the production names)',
    schema: prefixSchema.default(''),
  },
  cadenceMs: { env: 'FEED_CADENCE_MS', flag: 'cadence-ms', help: 'milliseconds between ticks (default 2000)', schema: whole(10, 3_600_000).default(2000) },
  lists: { env: 'FEED_LISTS', flag: 'lists', help: `how many lists, the first N of ${SCANNER_LISTS.length} (default all)`, schema: whole(1, SCANNER_LISTS.length).default(SCANNER_LISTS.length) },
  rowsPerList: { env: 'FEED_ROWS_PER_LIST', flag: 'rows', help: 'rows per list (default 100)', schema: whole(1, 1000).default(100) },
  universeSize: { env: 'FEED_UNIVERSE_SIZE', flag: 'universe', help: 'tickers in the synthetic market (default 600)', schema: whole(1, 50_000).default(600) },
  seed: { env: 'FEED_SEED', flag: 'seed', help: 'seed of the synthetic market (default 1)', schema: whole(0, 4_294_967_295).default(1) },
  streamMaxLen: { env: 'FEED_STREAM_MAX_LEN', flag: 'max-len', help: 'XADD MAXLEN ~ cap of the stream (default 10000)', schema: whole(10, 100_000_000).default(10_000) },
  ticks: { env: 'FEED_TICKS', flag: 'ticks', help: 'stop after N ticks (default: run until SIGINT/SIGTERM)', schema: optionalWhole(1, Number.MAX_SAFE_INTEGER) },
  restartEvery: { env: 'FEED_RESTART_EVERY', flag: 'restart-every', help: 'simulate a scanner restart every N ticks (default never)', schema: optionalWhole(1, Number.MAX_SAFE_INTEGER) },
  logLevel: { env: 'LOG_LEVEL', flag: 'log-level', help: `pino level: ${LOG_LEVELS.join(', ')} (default info)`, schema: z.enum(LOG_LEVELS).default('info') },
} as const satisfies Record<string, Setting>;

type SettingName = keyof typeof SETTINGS;

export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

export const USAGE = [
  'scanner-feed: a SYNTHETIC development feed that plays the upstream scanner (not market data).',
  '',
  'usage: nx serve scanner-feed [-- --flag value ...]',
  '       tsx --conditions=development apps/scanner-feed/src/main.ts [--flag value ...]',
  '',
  'Each setting comes from its flag, else its environment variable, else its default:',
  ...Object.values(SETTINGS).map((s) => `  --${s.flag.padEnd(14)} ${s.env.padEnd(20)} ${s.help}`),
  '  --help                                  this text',
].join('\n');

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/**
 * The feed's settings from `env` and the command line (`argv` without node and the script); a flag
 * wins over its variable, an empty variable counts as unset. Throws ConfigError naming every bad one.
 */
export function loadConfig(env: Record<string, string | undefined>, argv: readonly string[] = []): FeedConfig {
  const flags = parseFlags(argv);
  const raw: Record<string, string | undefined> = {};
  for (const [name, setting] of Object.entries(SETTINGS)) {
    const fromEnv = env[setting.env];
    raw[name] = flags[setting.flag] ?? (fromEnv === '' ? undefined : fromEnv);
  }

  const values: Partial<Record<SettingName, unknown>> = {};
  const problems: string[] = [];
  for (const [name, setting] of Object.entries(SETTINGS) as Array<[SettingName, Setting]>) {
    const parsed = setting.schema.safeParse(raw[name]);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(`${setting.env} (--${setting.flag}) = ${JSON.stringify(raw[name])}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const v = values as {
    [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']>;
  };
  return {
    redisUrl: v.redisUrl,
    redisKeyPrefix: v.redisKeyPrefix,
    cadenceMs: v.cadenceMs,
    lists: SCANNER_LISTS.slice(0, v.lists),
    rowsPerList: v.rowsPerList,
    universeSize: v.universeSize,
    seed: v.seed,
    streamMaxLen: v.streamMaxLen,
    ticks: v.ticks,
    restartEvery: v.restartEvery,
    logLevel: v.logLevel,
  };
}

function parseFlags(argv: readonly string[]): Record<string, string | undefined> {
  const options = Object.fromEntries(Object.values(SETTINGS).map((s) => [s.flag, { type: 'string' as const }]));
  try {
    const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
    return values as Record<string, string | undefined>;
  } catch (error) {
    throw new ConfigError([`command line: ${error instanceof Error ? error.message : String(error)}`]);
  }
}
