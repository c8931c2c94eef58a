import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { nyseCalendar, systemClock } from '@scanner/market-calendar';
import { createRedisKeys, encodeTradingDate } from '@scanner/redis-keys';
import { SCANNER_LISTS } from '@scanner/shared-types';
import { Redis } from 'ioredis';
import { type Browser, type Page, chromium } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_DIR, loadConfig } from '../../src/config.js';
import { type ScannerServer, createScannerServer } from '../../src/server.js';
import { REDIS_URL, deleteKeysWithPrefix, randomPrefix, redisClient } from '../support/redis.js';
import { REPO_ROOT, TsxProcess } from './support/child-process.js';
import { type PageView, describeCards, readPage, totalFlashes } from './support/demo-page.js';
import { DATABASE_URL, dropSchema, randomSchema } from './support/postgres.js';
import { type DemoDays, demoDays } from './support/trading-days.js';

/**
 * The demo page end to end, on the real stack: the websocket-server (in-process, serving the built
 * page), the scanner-feed and the maintenance CLI as child processes, real Redis and PostgreSQL, and
 * the machine's Chromium. The page starts on the trading day before the one `maintenance new-day`
 * announces now, so the scenario holds on any date, weekends included.
 *
 * Why the first feed runs on a shifted clock: the server follows upstream into a later trading day on
 * its own (README "Day rules"), so a feed writing at the real time would turn the page to today before
 * the CLI ran. Shifted to noon of the previous trading day, the real feed writes that day's lists; the
 * CLI then announces today; a second feed on the real clock writes today's lists.
 */

const SHOTS = resolve(REPO_ROOT, 'test-output/browser');
const SHIFT_CLOCK = resolve(import.meta.dirname, 'support/shift-clock.ts');
const CLEAR_CACHE_TOKEN = 'browser-test-clear-cache-token';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const prefix = randomPrefix();
const keys = createRedisKeys(prefix);
const schema = randomSchema();
const processes: TsxProcess[] = [];
const pageProblems: string[] = [];
let redis: Redis;
let server: ScannerServer | undefined;
let browser: Browser | undefined;
let page: Page;
let httpUrl: string;
let days: DemoDays;

function feed(name: string, seed: number, nodeFlags: readonly string[] = [], env: Record<string, string> = {}): TsxProcess {
  const args = ['apps/scanner-feed/src/main.ts', '--prefix', prefix, '--cadence-ms', '300', '--seed', String(seed), '--log-level', 'warn'];
  const child = new TsxProcess(name, args, { REDIS_URL, ...env }, nodeFlags);
  processes.push(child);
  return child;
}

function maintenance(command: string): TsxProcess {
  const child = new TsxProcess(`maintenance ${command}`, ['apps/data-maintenance/src/main.ts', command], {
    DATABASE_URL,
    PGSCHEMA: schema,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    WEBSOCKET_CLEAR_CACHE_URL: `${httpUrl}/api/clear-cache`,
    CLEAR_CACHE_TOKEN,
    MARKET_DATA_SOURCE: 'synthetic',
    LOG_LEVEL: 'warn',
  });
  processes.push(child);
  return child;
}

/** Polls the page until `check` holds, failing with what the page showed last. */
async function waitForPage(what: string, check: (view: PageView) => boolean, timeoutMs = 30_000): Promise<PageView> {
  const deadline = Date.now() + timeoutMs;
  let view = await readPage(page);
  while (!check(view)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}\nstate=${view.state} error=${view.error}\n${describeCards(view)}\n${processes.map((p) => p.tail(5)).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
    view = await readPage(page);
  }
  return view;
}

async function screenshot(name: string): Promise<string> {
  const path = join(SHOTS, name);
  // Generous: on a loaded machine the busy page can take seconds to produce a frame.
  await page.screenshot({ path, timeout: 60_000 });
  return path;
}

beforeAll(async () => {
  if (!existsSync(join(DEFAULT_DEMO_DIR, 'index.html'))) {
    throw new Error(`the demo page is not built in ${DEFAULT_DEMO_DIR}: run \`npm run build:demo -w apps/websocket-server\` (the \`browser\` script does it)`);
  }
  await mkdir(SHOTS, { recursive: true });
  days = demoDays(nyseCalendar, new Date());
  redis = redisClient();
  await redis.set(keys.tradingCurrentDay, encodeTradingDate(days.previous));

  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_KEY_PREFIX: prefix, CLEAR_CACHE_TOKEN, LOG_LEVEL: 'silent', STREAM_BLOCK_MS: '200' });
  const connection = (role: string, blocking = false) =>
    new Redis(REDIS_URL, { connectionName: `${prefix}browser:${role}`, maxRetriesPerRequest: blocking ? null : 1 });
  server = createScannerServer({
    config,
    logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
    clock: systemClock,
    redis: { commands: connection('commands'), subscriber: connection('subscriber'), stream: connection('stream', true) },
  });
  await server.start();
  httpUrl = `http://127.0.0.1:${server.address().port}`;
  expect(server.epoch).toBe(days.previous);

  feed('feed (previous day)', 1, ['--import', SHIFT_CLOCK], { SHIFT_CLOCK_MS: String(days.previousMidSession.getTime() - Date.now()) });

  browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
  page.on('pageerror', (error) => pageProblems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageProblems.push(`console: ${message.text()}`);
  });
});

afterAll(async () => {
  try {
    await browser?.close();
    await Promise.all(processes.map((p) => p.stop()));
    await server?.stop();
  } finally {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await dropSchema(schema);
  }
});

// One scenario in three steps; each step starts from where the previous one left the page.
describe('demo page', () => {
  it('shows the 11 lists live, and changed rows flash', async () => {
    await page.goto(`${httpUrl}/`);

    // 1. Live: every list fills with the previous day's rows, and rows keep changing.
    const live = await waitForPage(
      `rows of ${days.previous} in all 11 tables`,
      (v) => v.state === 'open' && v.cards.length === SCANNER_LISTS.length && v.cards.every((c) => c.rows > 0 && c.epoch === days.previous),
    );
    expect(live.cards.map((c) => c.list)).toEqual([...SCANNER_LISTS]);
    for (const card of live.cards) {
      expect(card.epochText).toBe(days.previous);
      expect(card.sequenceText).toBe(String(card.sequence));
      expect(card.sequence).toBeGreaterThanOrEqual(1);
    }
    const sequencesBefore = new Map(live.cards.map((c) => [c.list, c.sequence ?? 0]));
    const flashesBefore = totalFlashes(live);
    const updated = await waitForPage(
      'a sequence to advance and a changed row to flash',
      (v) => v.cards.some((c) => (c.sequence ?? 0) > (sequencesBefore.get(c.list) ?? 0) && c.kind === 'delta') && totalFlashes(v) > flashesBefore,
    );
    expect(updated.cards.every((c) => c.epoch === days.previous)).toBe(true);
    await screenshot('demo-live.png');
  });

  it('resets every table when the maintenance CLI announces the new trading day', async () => {
    // 2. The maintenance CLI announces today: Pub/Sub, trading:current_day and POST /api/clear-cache.
    const migrate = maintenance('migrate');
    expect((await migrate.finished(60_000)).code, migrate.tail()).toBe(0);
    const newDay = maintenance('new-day');
    expect((await newDay.finished(60_000)).code, newDay.tail()).toBe(0);
    const summary = JSON.parse(newDay.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(summary).toMatchObject({ date: days.announced, status: 'completed', published: true, previous_day: days.previous });
    expect(summary['websocket']).toMatchObject({ status: 'ok' });

    // 3. The page resets: banner with the new day, every table on it and empty of the old rows...
    const reset = await waitForPage(
      `the reset to ${days.announced}`,
      (v) => v.banner.visible && v.banner.epoch === days.announced && v.cards.every((c) => c.epoch === days.announced && c.rows === 0),
    );
    expect(reset.banner.text).toContain(`New trading day ${days.announced}`);
    expect(reset.cards.every((c) => c.epochText === days.announced && c.kind === 'reset')).toBe(true);
    // ...and stays empty while yesterday's feed goes on writing: its entries are of an older day.
    const writtenAtReset = Number(await redis.get(keys.scannerSequence('winners')));
    const deadline = Date.now() + 15_000;
    while (Number(await redis.get(keys.scannerSequence('winners'))) < writtenAtReset + 3) {
      if (Date.now() > deadline) throw new Error('the previous-day feed stopped writing');
      await new Promise((r) => setTimeout(r, 100));
    }
    const stillEmpty = await readPage(page);
    expect(stillEmpty.cards.every((c) => c.rows === 0 && c.epoch === days.announced), describeCards(stillEmpty)).toBe(true);
    await screenshot('demo-new-day.png');
  });

  it('fills again with the new day\'s rows once upstream writes them', async () => {
    // 4. Today's upstream starts (a scanner restart: sequence 1 snapshots): fresh rows of today.
    const previousFeed = processes[0];
    await previousFeed?.stop();
    feed('feed (today)', 2);
    const fresh = await waitForPage(
      `fresh rows of ${days.live}`,
      // The feed's start writes a snapshot of every list (empty ones too), so no table stays in `reset`.
      (v) => v.cards.every((c) => c.epoch === days.live && c.kind !== 'reset') && v.cards.filter((c) => c.rows > 0).length >= 3,
    );
    for (const card of fresh.cards) {
      expect(card.epochText).toBe(days.live);
      expect(card.sequence).toBeGreaterThanOrEqual(1);
    }
    expect(fresh.banner.epoch).toBe(days.live);
    await screenshot('demo-after-new-day.png');

    expect(pageProblems).toEqual([]);
  });
});
