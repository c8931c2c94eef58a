import { SCANNER_LISTS } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import { ConfigError, USAGE, loadConfig, wantsHelp } from './config.js';

function problemsOf(env: Record<string, string | undefined>, argv: string[] = []): readonly string[] {
  try {
    loadConfig(env, argv);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      redisKeyPrefix: '',
      cadenceMs: 2000,
      lists: SCANNER_LISTS,
      rowsPerList: 100,
      universeSize: 600,
      seed: 1,
      streamMaxLen: 10_000,
      ticks: null,
      restartEvery: null,
      logLevel: 'info',
    });
  });

  it('reads the environment, and a flag wins over its variable', () => {
    const env = {
      REDIS_URL: 'redis://redis.internal:6380/2',
      REDIS_KEY_PREFIX: 'dev:',
      FEED_CADENCE_MS: '500',
      FEED_LISTS: '3',
      FEED_ROWS_PER_LIST: '50',
      FEED_UNIVERSE_SIZE: '12000',
      FEED_SEED: '99',
      FEED_STREAM_MAX_LEN: '2000',
      FEED_TICKS: '10',
      FEED_RESTART_EVERY: '4',
      LOG_LEVEL: 'debug',
    };
    const fromEnv = loadConfig(env);
    expect(fromEnv).toMatchObject({ redisUrl: 'redis://redis.internal:6380/2', redisKeyPrefix: 'dev:', cadenceMs: 500, rowsPerList: 50 });
    expect(fromEnv).toMatchObject({ universeSize: 12_000, seed: 99, streamMaxLen: 2000, ticks: 10, restartEvery: 4, logLevel: 'debug' });
    expect(fromEnv.lists).toEqual(['winners', 'losers', 'gappers_up']);

    const flagged = loadConfig(env, ['--cadence-ms', '100', '--lists=11', '--prefix', 'other:', '--ticks', '2']);
    expect(flagged).toMatchObject({ cadenceMs: 100, redisKeyPrefix: 'other:', ticks: 2, seed: 99 });
    expect(flagged.lists).toHaveLength(11);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ FEED_TICKS: '', REDIS_KEY_PREFIX: '' })).toMatchObject({ ticks: null, redisKeyPrefix: '' });
  });

  it('names every bad setting at once, with its variable and its flag', () => {
    const problems = problemsOf(
      { FEED_CADENCE_MS: 'fast', FEED_LISTS: '12', REDIS_URL: 'http://x', REDIS_KEY_PREFIX: 'has space', LOG_LEVEL: 'loud' },
      ['--rows', '0', '--seed=-1'],
    );
    expect(problems).toHaveLength(7);
    expect(problems.join('\n')).toMatch(/FEED_CADENCE_MS \(--cadence-ms\) = "fast": must be a whole number/);
    expect(problems.join('\n')).toMatch(/FEED_LISTS \(--lists\) = "12": must be at most 11/);
    expect(problems.join('\n')).toMatch(/REDIS_URL \(--redis-url\).*redis:\/\//);
    expect(problems.join('\n')).toMatch(/REDIS_KEY_PREFIX \(--prefix\)/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL \(--log-level\)/);
    expect(problems.join('\n')).toMatch(/FEED_ROWS_PER_LIST \(--rows\) = "0": must be at least 1/);
    expect(problems.join('\n')).toMatch(/FEED_SEED \(--seed\) = "-1": must be at least 0/);
  });

  it('refuses an unknown flag, a flag without a value and a positional argument', () => {
    expect(problemsOf({}, ['--cadence', '5'])[0]).toMatch(/command line: .*--cadence/);
    expect(problemsOf({}, ['--ticks'])[0]).toMatch(/command line: .*--ticks/);
    expect(problemsOf({}, ['now'])[0]).toMatch(/command line/);
  });

  it('carries a stable code and lists every flag in the usage', () => {
    let thrown: unknown;
    try {
      loadConfig({ FEED_TICKS: '0' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ code: 'INVALID_CONFIG', name: 'ConfigError' });
    for (const flag of ['--redis-url', '--prefix', '--cadence-ms', '--lists', '--rows', '--universe', '--seed', '--max-len', '--ticks', '--restart-every']) {
      expect(USAGE).toContain(flag);
    }
    expect(USAGE).toMatch(/SYNTHETIC/);
    expect(wantsHelp(['--ticks', '3', '--help'])).toBe(true);
    expect(wantsHelp(['--ticks', '3'])).toBe(false);
  });
});
