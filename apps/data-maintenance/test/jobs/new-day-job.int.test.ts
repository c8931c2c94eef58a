import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewDayConfig } from '../../src/config.js';
import { newDayCommand } from '../../src/cli/commands/new-day-command.js';
import { jobRunsBetween, startJobRun } from '../../src/db/job-runs.js';
import { collectOutput } from '../support/collect-output.js';
import { type NewDayJobDeps, runNewDayJob } from '../../src/jobs/new-day-job.js';
import { announceNewDay } from '../../src/redis/announce-new-day.js';
import { encodeNewDayEvent, newDayEvent } from '@scanner/redis-keys';
import { type Harness, TEST_REDIS_URL, createHarness, standAt } from '../support/maintenance-harness.js';

const FRIDAY = '2026-11-20';
const NEW_DAY_MINUTE = 3 * 60;
const NO_HTTP: NewDayConfig = { clearPatterns: [], clearCacheUrl: null, clearCacheToken: null, clearCacheTimeoutMs: 1000 };

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** A stand-in for the WebSocket server's clear-cache route: records what it got, answers as told. */
async function startHttpServer(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
      answer(req, res);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/clear-cache`, received, server };
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
}

/** A port nothing listens on: one the OS just handed out and that was closed again. */
async function closedPortUrl(): Promise<string> {
  const { url, server } = await startHttpServer(() => undefined);
  await closeServer(server);
  return url;
}

describe('the new-day job', () => {
  let h: Harness;
  let subscriber: Redis;
  let messages: Array<{ channel: string; message: string }>;
  let logs: Array<Record<string, unknown>>;
  const servers: Server[] = [];

  const deps = (newDay: Partial<NewDayConfig> = {}): NewDayJobDeps => ({
    ...h.deps,
    logger: pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) }),
    newDay: { ...NO_HTTP, ...newDay },
    newDayMinute: NEW_DAY_MINUTE,
  });
  const events = () => logs.map((l) => l['event']);
  const ledger = () => jobRunsBetween(h.db.pool, '2026-11-01', '2026-11-30', 'new_day');

  beforeEach(async () => {
    h = await createHarness();
    standAt(h.clock, FRIDAY, 3, 0);
    logs = [];
    messages = [];
    subscriber = new Redis(TEST_REDIS_URL);
    subscriber.on('message', (channel: string, message: string) => messages.push({ channel, message }));
    await subscriber.subscribe(h.keys.newDayChannel);
  });
  afterEach(async () => {
    subscriber.disconnect();
    await Promise.all(servers.splice(0).map(closeServer));
    await h.close();
  });

  /** Pub/Sub delivery is asynchronous: a PING on the subscriber's connection returns after what came before it. */
  const delivered = async () => {
    await subscriber.ping();
  };

  it('sets trading:current_day and publishes the seed payload on the prefixed channel, logging the seed events in order', async () => {
    const outcome = await runNewDayJob(deps(), { date: FRIDAY, trigger: 'schedule' });
    await delivered();

    expect(messages).toEqual([
      {
        channel: `${h.keys.prefix}trading:new_day`,
        message: `{"event":"new_trading_day","date":"${FRIDAY}","timestamp":"${h.clock.now().toISOString()}","action":"clear_caches"}`,
      },
    ]);
    expect(await h.redis.get(`${h.keys.prefix}trading:current_day`)).toBe(FRIDAY);
    expect(await h.redis.ttl(h.keys.tradingCurrentDay)).toBe(-1);
    expect(outcome).toEqual({
      date: FRIDAY,
      jobRunId: outcome.jobRunId,
      published: true,
      previousDay: null,
      receivers: 1,
      keysDeleted: 0,
      websocket: { status: 'skipped', detail: 'no clear-cache URL configured' },
    });

    expect(events()).toEqual([
      'cache_clear_time_detected',
      'clear_caches_task_starting',
      'new_day_event_published',
      'redis_day_caches_cleared',
      'websocket_notification_skipped',
      'clear_caches_task_completed',
      'cache_clear_executed_successfully',
    ]);
    expect(logs[0]).toMatchObject({ new_york_time: '03:00 EST', date: FRIDAY, trigger: 'schedule' });
    expect(logs.find((l) => l['event'] === 'new_day_event_published')).toMatchObject({ channel: h.keys.newDayChannel, date: FRIDAY, receivers: 1 });
    expect(logs.find((l) => l['event'] === 'cache_clear_executed_successfully')).toMatchObject({ date: FRIDAY, services_notified: 1, caches_cleared: 0 });

    const [row] = await ledger();
    expect(row).toMatchObject({ id: outcome.jobRunId, date: FRIDAY, trigger: 'schedule', status: 'completed', error: null });
    expect(row?.result).toMatchObject({ published: true, receivers: 1, keysDeleted: 0 });
  });

  it('deletes the configured patterns under the prefix and nothing else, never its own coordination keys', async () => {
    const p = h.keys.prefix;
    await h.redis.mset(`${p}day:cache:a`, '1', `${p}day:cache:b`, '2', `${p}scanner:category:winners`, '[]', `${p}trading:other`, 'x', 'day:cache:outside-prefix', '3');
    await h.redis.set(h.keys.maintenanceLock, 'another-runner');
    try {
      const outcome = await runNewDayJob(deps({ clearPatterns: ['day:cache:*', 'trading:*', 'maintenance:lock*'] }), { date: FRIDAY, trigger: 'cli' });

      expect(outcome.keysDeleted).toBe(3);
      expect(await h.redis.exists(`${p}day:cache:a`, `${p}day:cache:b`, `${p}trading:other`)).toBe(0);
      expect(await h.redis.get(`${p}scanner:category:winners`)).toBe('[]');
      expect(await h.redis.get('day:cache:outside-prefix')).toBe('3');
      expect(await h.redis.get(h.keys.tradingCurrentDay)).toBe(FRIDAY);
      expect(await h.redis.get(h.keys.maintenanceLock)).toBe('another-runner');
      expect(logs.find((l) => l['event'] === 'redis_day_caches_cleared')).toMatchObject({ count: 3 });
    } finally {
      await h.redis.del('day:cache:outside-prefix');
    }
  });

  it('a WebSocket server that is down does not fail the job', async () => {
    const url = await closedPortUrl();
    const outcome = await runNewDayJob(deps({ clearCacheUrl: url, clearCacheToken: 'secret-token-0123456789' }), { date: FRIDAY, trigger: 'schedule' });

    expect(outcome.published).toBe(true);
    expect(outcome.websocket.status).toBe('failed');
    expect(outcome.websocket.detail).toMatch(/ECONNREFUSED/);
    expect(await h.redis.get(h.keys.tradingCurrentDay)).toBe(FRIDAY);
    const warning = logs.find((l) => l['event'] === 'websocket_notification_failed');
    expect(warning).toMatchObject({ level: 40, detail: outcome.websocket.detail });
    expect(JSON.stringify(logs)).not.toContain('secret-token-0123456789');
    expect(events().at(-1)).toBe('cache_clear_executed_successfully');
    const [row] = await ledger();
    expect(row).toMatchObject({ status: 'completed', result: { websocket: { status: 'failed' } } });
  });

  it('POSTs the reason and date with the bearer token to the clear-cache route', async () => {
    const http = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ result: 'applied', epoch: FRIDAY }));
    });
    servers.push(http.server);
    const outcome = await runNewDayJob(deps({ clearCacheUrl: http.url, clearCacheToken: 'secret-token-0123456789' }), { date: FRIDAY, trigger: 'schedule' });

    expect(http.received).toEqual([
      {
        method: 'POST',
        url: '/api/clear-cache',
        authorization: 'Bearer secret-token-0123456789',
        contentType: 'application/json',
        body: `{"reason":"new_trading_day","date":"${FRIDAY}"}`,
      },
    ]);
    expect(outcome.websocket).toEqual({ status: 'ok', detail: `HTTP 200: applied (epoch ${FRIDAY})` });
    expect(logs.find((l) => l['event'] === 'cache_clear_executed_successfully')).toMatchObject({ services_notified: 2 });
  });

  it('reports a refusal of the route as failed with its code, and never echoes the token', async () => {
    const http = await startHttpServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'UNAUTHORIZED', message: `bad ${req.headers.authorization ?? ''}` }));
    });
    servers.push(http.server);
    const outcome = await runNewDayJob(deps({ clearCacheUrl: http.url, clearCacheToken: 'secret-token-0123456789' }), { date: FRIDAY, trigger: 'schedule' });

    expect(outcome.websocket).toEqual({ status: 'failed', detail: 'HTTP 401: UNAUTHORIZED bad Bearer ***' });
    expect(JSON.stringify(logs)).not.toContain('secret-token-0123456789');
  });

  it('cuts a WebSocket server that does not answer at the timeout, and the job still completes', async () => {
    const http = await startHttpServer(() => undefined);
    servers.push(http.server);
    const outcome = await runNewDayJob(deps({ clearCacheUrl: http.url, clearCacheTimeoutMs: 300 }), { date: FRIDAY, trigger: 'schedule' });

    expect(http.received).toHaveLength(1);
    expect(outcome.websocket).toEqual({ status: 'failed', detail: 'no complete answer within 300 ms' });
    expect((await ledger())[0]).toMatchObject({ status: 'completed' });
  });

  it('running twice publishes once; the second run records published: false and redoes nothing', async () => {
    const http = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"result":"applied","epoch":null}');
    });
    servers.push(http.server);
    const first = await runNewDayJob(deps({ clearCacheUrl: http.url }), { date: FRIDAY, trigger: 'schedule' });
    h.clock.advance(60_000);
    await h.redis.set(`${h.keys.prefix}day:cache:today`, 'written after the announcement');
    const second = await runNewDayJob(deps({ clearCacheUrl: http.url, clearPatterns: ['day:cache:*'] }), { date: FRIDAY, trigger: 'cli' });
    await delivered();

    expect(messages).toHaveLength(1);
    expect(first.published).toBe(true);
    expect(second).toMatchObject({ published: false, previousDay: FRIDAY, receivers: 0, keysDeleted: 0, websocket: { status: 'skipped' } });
    expect(http.received).toHaveLength(1);
    expect(await h.redis.get(`${h.keys.prefix}day:cache:today`)).toBe('written after the announcement');
    expect(events()).toContain('new_day_already_announced');
    expect((await ledger()).map((r) => [r.trigger, r.status])).toEqual([
      ['schedule', 'completed'],
      ['cli', 'completed'],
    ]);
  });

  it('after a run that died having published, a re-run of the day does the cache clear and the fallback again', async () => {
    const now = h.clock.now();
    await announceNewDay(h.redis, h.keys, FRIDAY, encodeNewDayEvent(newDayEvent(FRIDAY, now)));
    await h.redis.set(`${h.keys.prefix}day:cache:yesterday`, 'stale');
    const http = await startHttpServer((_req, res) => {
      res.writeHead(200);
      res.end('{"result":"unchanged","epoch":"2026-11-20"}');
    });
    servers.push(http.server);
    const outcome = await runNewDayJob(deps({ clearCacheUrl: http.url, clearPatterns: ['day:cache:*'] }), { date: FRIDAY, trigger: 'catch_up' });
    await delivered();

    expect(messages).toHaveLength(1);
    expect(outcome).toMatchObject({ published: false, previousDay: FRIDAY, keysDeleted: 1, websocket: { status: 'ok' } });
    expect(http.received).toHaveLength(1);
  });

  it('an older date never overwrites a newer current day, and is not published', async () => {
    const monday = '2026-11-23';
    await h.redis.set(h.keys.tradingCurrentDay, monday);
    const older = await announceNewDay(h.redis, h.keys, FRIDAY, encodeNewDayEvent(newDayEvent(FRIDAY, h.clock.now())));
    const same = await announceNewDay(h.redis, h.keys, monday, encodeNewDayEvent(newDayEvent(monday, h.clock.now())));
    await delivered();

    expect(older).toEqual({ published: false, previousDay: monday, receivers: 0 });
    expect(same).toEqual({ published: false, previousDay: monday, receivers: 0 });
    expect(await h.redis.get(h.keys.tradingCurrentDay)).toBe(monday);
    expect(messages).toEqual([]);

    // Through the job too: the day change is left to whoever announced the later day.
    const outcome = await runNewDayJob(deps({ clearPatterns: ['day:cache:*'] }), { date: FRIDAY, trigger: 'schedule' });
    expect(outcome).toMatchObject({ published: false, previousDay: monday, websocket: { status: 'skipped' } });
    expect(await h.redis.get(h.keys.tradingCurrentDay)).toBe(monday);
  });

  it('a newer date replaces an older one, and a damaged value does not block the announcement', async () => {
    await h.redis.set(h.keys.tradingCurrentDay, '2026-11-19');
    expect(await announceNewDay(h.redis, h.keys, FRIDAY, encodeNewDayEvent(newDayEvent(FRIDAY, h.clock.now())))).toEqual({
      published: true,
      previousDay: '2026-11-19',
      receivers: 1,
    });
    await h.redis.set(h.keys.tradingCurrentDay, 'zzz-not-a-date');
    expect(await announceNewDay(h.redis, h.keys, '2026-11-23', encodeNewDayEvent(newDayEvent('2026-11-23', h.clock.now())))).toMatchObject({
      published: true,
      previousDay: null,
    });
    expect(await h.redis.get(h.keys.tradingCurrentDay)).toBe('2026-11-23');
    await expect(announceNewDay(h.redis, h.keys, FRIDAY, encodeNewDayEvent(newDayEvent('2026-11-23', h.clock.now())))).rejects.toMatchObject({
      code: 'INVALID_VALUE',
    });
  });

  it.each([
    ['a past trading day', '2026-11-19', 'NOT_CURRENT_DAY'],
    ['a later trading day', '2026-11-23', 'NOT_CURRENT_DAY'],
    ['a holiday', '2026-11-26', 'NOT_A_TRADING_DAY'],
    ['a weekend day', '2026-11-21', 'NOT_A_TRADING_DAY'],
  ])('refuses %s (%s) with %s, recording and publishing nothing', async (_what, date, code) => {
    await expect(runNewDayJob(deps(), { date, trigger: 'cli' })).rejects.toMatchObject({ name: 'NewDayError', code });
    await delivered();
    expect(messages).toEqual([]);
    expect(await h.redis.exists(h.keys.tradingCurrentDay)).toBe(0);
    expect(await ledger()).toEqual([]);
  });

  it('before the announcement time the current day is still the previous session', async () => {
    standAt(h.clock, FRIDAY, 2, 59);
    await expect(runNewDayJob(deps(), { date: FRIDAY, trigger: 'cli' })).rejects.toMatchObject({ code: 'NOT_CURRENT_DAY' });
    const outcome = await runNewDayJob(deps(), { date: '2026-11-19', trigger: 'cli' });
    expect(outcome).toMatchObject({ date: '2026-11-19', published: true });
  });

  it('the new-day command takes the new-day lock, marks runs a dead announcer left running as interrupted, and releases the lock', async () => {
    const dead = await startJobRun(h.db.pool, { job: 'new_day', date: FRIDAY, trigger: 'schedule', startedAt: h.clock.now() });
    const cleanup = await startJobRun(h.db.pool, { job: 'weekly_cleanup', date: '2026-11-15', trigger: 'schedule', startedAt: h.clock.now() });
    await h.redis.set(h.keys.maintenanceLock, 'a-long-cycle');
    const out = collectOutput();

    expect(await newDayCommand(deps(), { date: FRIDAY, leaseMs: 5000 }, out)).toBe(0);
    expect(out.lines).toEqual([expect.objectContaining({ date: FRIDAY, status: 'completed', published: true })]);
    const rows = new Map((await jobRunsBetween(h.db.pool, '2026-11-01', '2026-11-30')).map((r) => [r.id, r.status]));
    expect(rows.get(dead.id)).toBe('interrupted');
    expect(rows.get(cleanup.id)).toBe('running');
    expect(await h.redis.exists(h.keys.maintenanceNewDayLock)).toBe(0);
    expect(await h.redis.get(h.keys.maintenanceLock)).toBe('a-long-cycle');

    await h.redis.set(h.keys.maintenanceNewDayLock, 'another-announcer');
    await expect(newDayCommand(deps(), { date: FRIDAY, leaseMs: 5000 }, out)).rejects.toMatchObject({ code: 'LOCK_HELD', holder: 'another-announcer' });
  });

  it('records a Redis failure as a failed run and rethrows it', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    down.on('error', () => undefined);
    try {
      await expect(runNewDayJob({ ...deps(), redis: down }, { date: FRIDAY, trigger: 'schedule' })).rejects.toThrow();
    } finally {
      down.disconnect();
    }
    const [row] = await ledger();
    expect(row).toMatchObject({ status: 'failed', result: null });
    expect(row?.error).toMatch(/\S+: .+/);
    expect(events()).toContain('cache_clear_failed');
    expect(events()).not.toContain('cache_clear_executed_successfully');
  });
});
