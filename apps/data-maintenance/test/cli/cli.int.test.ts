import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { nyseCalendar, systemClock } from '@scanner/market-calendar';
import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastClosedSession } from '../../src/cli/parse-cli.js';
import { announcedTradingDay } from '../../src/core/announced-trading-day.js';
import { TEST_REDIS_URL, deleteKeysWithPrefix } from '../support/maintenance-harness.js';
import { TEST_DATABASE_URL } from '../support/test-database.js';

const APP = resolve(import.meta.dirname, '../..');

interface Spawned {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Spawned> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', 'src/main.ts', ...args], {
      cwd: APP,
      env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the maintenance CLI', () => {
  it.each([
    [['frobnicate'], 'UNKNOWN_COMMAND'],
    [[], 'MISSING_COMMAND'],
    [['run', '--date', '2026-02-30'], 'INVALID_DATE'],
    [['run', '--date', '2026-11-26'], 'NOT_A_TRADING_DAY'],
    [['run', '--date', '2026-11-20', '--tasks', 'load_ohlc,bogus'], 'UNKNOWN_TASK'],
    [['backfill', '--from', '2026-11-20', '--to', '2026-11-02'], 'INVALID_RANGE'],
    [['calendar', '--from', '2026-11-01'], 'MISSING_OPTION'],
    [['run', '--bogus'], 'UNKNOWN_OPTION'],
  ])('%j exits 2 with %s on stderr and nothing on stdout', async (args, code) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error ${code}:`);
    expect(result.stdout).toBe('');
  }, 30_000);

  it('refuses a bad configuration with exit 2, naming every bad variable', async () => {
    const result = await cli(['status'], { MARKET_DATA_SOURCE: 'carrier-pigeon', ATR_PERIOD: 'fourteen', REDIS_URL: 'http://nope' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CONFIG_INVALID');
    for (const variable of ['MARKET_DATA_SOURCE', 'ATR_PERIOD', 'REDIS_URL']) expect(result.stderr).toContain(variable);
  }, 30_000);

  it.each([
    [{ DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/test' }, 'DATABASE_UNAVAILABLE', 'PostgreSQL'],
    [{ REDIS_URL: 'redis://:secret@127.0.0.1:1' }, 'REDIS_UNAVAILABLE', 'Redis'],
  ])('a service that cannot be reached exits 1 naming it, without its password (%j)', async (env, code, service) => {
    const result = await cli(['run', '--date', '2026-11-20'], { MARKET_DATA_SOURCE: 'synthetic', REDIS_URL: TEST_REDIS_URL, DATABASE_URL: TEST_DATABASE_URL, ...env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error ${code}: cannot reach ${service}`);
    expect(result.stderr).not.toContain('secret');
    expect(result.stdout).toBe('');
  }, 30_000);

  it('calendar prints one JSON line per date, closed days included', async () => {
    const result = await cli(['calendar', '--from', '2026-11-25', '--to', '2026-11-28']);
    expect(result.code).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(lines.map((l) => [l['date'], l['trading_day'], l['early_close']])).toEqual([
      ['2026-11-25', true, false],
      ['2026-11-26', false, false],
      ['2026-11-27', true, true],
      ['2026-11-28', false, false],
    ]);
    expect(lines[2]).toMatchObject({ market_close: '2026-11-27T18:00:00.000Z', post_market_close: '2026-11-27T22:00:00.000Z' });
  }, 30_000);

  describe('against the real services', () => {
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    const env = {
      DATABASE_URL: TEST_DATABASE_URL,
      PGSCHEMA: schema,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      MARKET_DATA_SOURCE: 'synthetic',
      SYNTHETIC_UNIVERSE_SIZE: '8',
    };
    afterAll(async () => {
      const redis = new Redis(TEST_REDIS_URL);
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    });

    it('run --date completes a session with the synthetic source, then status reports it', async () => {
      const date = lastClosedSession({ calendar: nyseCalendar, now: systemClock.now() });
      const run = await cli(['run', '--date', date], env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const [summary] = jsonLines(run.stdout);
      expect(summary).toMatchObject({ date, status: 'completed', all_success: true });
      expect(Object.keys(summary?.['tasks'] as object)).toEqual([...MAINTENANCE_TASKS]);

      const status = await cli(['status', '--date', date], env);
      expect(status.code).toBe(0);
      const [report] = jsonLines(status.stdout);
      expect(report).toMatchObject({ date, ledger: { status: 'completed', trigger: 'cli' }, redis: { executed: true, last_run: date, status: { all_success: true } } });

      const redis = new Redis(TEST_REDIS_URL);
      expect(await redis.scard(`${prefix}ticker:universe`)).toBe(8);
      redis.disconnect();
    }, 60_000);
  });
  describe('new-day', () => {
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    const token = 'cli-test-token-0123456789';
    const posted: Array<{ authorization: string | undefined; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posted.push({ authorization: req.headers.authorization, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"result":"applied","epoch":null}');
      });
    });
    const subscriber = new Redis(TEST_REDIS_URL, { lazyConnect: true });
    const messages: string[] = [];
    let env: Record<string, string> = {};
    // The day to announce moves at 03:00 New York: a run that straddles it may see either side.
    const announced = () => announcedTradingDay(nyseCalendar, systemClock.now(), 180);

    beforeAll(async () => {
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const { port } = server.address() as AddressInfo;
      env = {
        DATABASE_URL: TEST_DATABASE_URL,
        PGSCHEMA: schema,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        MARKET_DATA_SOURCE: 'synthetic',
        NEW_DAY_TIME: '03:00',
        WEBSOCKET_CLEAR_CACHE_URL: `http://127.0.0.1:${port}/api/clear-cache`,
        CLEAR_CACHE_TOKEN: token,
      };
      await subscriber.connect();
      subscriber.on('message', (_channel: string, message: string) => messages.push(message));
      await subscriber.subscribe(`${prefix}trading:new_day`);
    });
    afterAll(async () => {
      subscriber.disconnect();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      const redis = new Redis(TEST_REDIS_URL);
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    });

    it.each([
      [['new-day', '--date', '2026-11-26'], 'NOT_A_TRADING_DAY'],
      [['new-day', '--date', '2026-02-30'], 'INVALID_DATE'],
      [['new-day', 'today'], 'UNEXPECTED_ARGUMENT'],
    ])('%j exits 2 with %s', async (args, code) => {
      const result = await cli(args, env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`error ${code}:`);
      expect(result.stdout).toBe('');
    }, 30_000);

    it('refuses a past trading day with NOT_CURRENT_DAY (exit 2), publishing nothing', async () => {
      const past = nyseCalendar.previousTradingDay(nyseCalendar.previousTradingDay(announced()));
      const result = await cli(['new-day', '--date', past], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('error NOT_CURRENT_DAY:');
      expect(result.stdout).toBe('');
      await subscriber.ping();
      expect(messages).toEqual([]);
    }, 30_000);

    it('announces the current day once: exit 0 with the outcome as one JSON line, then published: false', async () => {
      const before = announced();
      const first = await cli(['new-day'], env);
      expect(first.code).toBe(0);
      const [line] = jsonLines(first.stdout);
      expect(jsonLines(first.stdout)).toHaveLength(1);
      const date = line?.['date'] as string;
      expect([before, announced()]).toContain(date);
      expect(line).toMatchObject({ status: 'completed', published: true, receivers: 1, keys_deleted: 0, websocket: { status: 'ok' } });
      expect(posted).toEqual([{ authorization: `Bearer ${token}`, body: JSON.stringify({ reason: 'new_trading_day', date }) }]);
      expect(first.stderr).not.toContain(token);

      const second = await cli(['new-day', '--date', date], env);
      expect(second.code).toBe(0);
      expect(jsonLines(second.stdout)).toEqual([expect.objectContaining({ date, published: false, previous_day: date })]);
      await subscriber.ping();
      expect(messages).toHaveLength(1);
      expect(JSON.parse(messages[0] ?? '{}')).toMatchObject({ event: 'new_trading_day', date, action: 'clear_caches' });

      const redis = new Redis(TEST_REDIS_URL);
      expect(await redis.get(`${prefix}trading:current_day`)).toBe(date);
      redis.disconnect();
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      const rows = await client.query(`SELECT job, date::text AS date, trigger, status FROM "${schema}".maintenance_job_runs ORDER BY id`);
      await client.end();
      expect(rows.rows).toEqual([
        { job: 'new_day', date, trigger: 'cli', status: 'completed' },
        { job: 'new_day', date, trigger: 'cli', status: 'completed' },
      ]);
    }, 60_000);

    it('exits 1 with LOCK_HELD while another announcer holds the new-day lock', async () => {
      const redis = new Redis(TEST_REDIS_URL);
      await redis.set(`${prefix}maintenance:lock:new_day`, 'other-host-1-abc', 'PX', 30_000);
      try {
        const result = await cli(['new-day'], env);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('error LOCK_HELD:');
        expect(result.stderr).toContain('other-host-1-abc');
        expect(result.stdout).toBe('');
      } finally {
        await redis.del(`${prefix}maintenance:lock:new_day`);
        redis.disconnect();
      }
    }, 30_000);
  });
});
