import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NEW_DAY_MORNING, PREVIOUS_TRADING_DAY, TRADING_DAY } from './support/clock.js';
import { Harness, metricValue } from './support/harness.js';
import { clientIdByName } from './support/redis.js';
import { makeRows } from './support/upstream.js';

/** 18:00 and 19:00 New York on the previous trading day: the last lists Redis holds at 03:00. */
const LAST_EVENING = '2025-11-25T23:00:00.000Z';
const LATER_LAST_EVENING = '2025-11-26T00:00:00.000Z';
/** 04:00 New York: upstream's first write of the new day. */
const PRE_MARKET = '2025-11-26T09:00:00.000Z';

let h: Harness;
beforeEach(async () => {
  h = new Harness(NEW_DAY_MORNING);
  await h.upstream.announceNewDay(PREVIOUS_TRADING_DAY, { publish: false });
  await h.upstream.snapshot('winners', makeRows(20, LAST_EVENING), { timestamp: LAST_EVENING, sequence: 4178 });
});
afterEach(() => h.cleanup());

describe('new trading day', () => {
  it('follows upstream into a new day that was never announced, but never into a day the clock has not reached', async () => {
    const running = await h.startServer();
    const a = await h.connect(running);
    expect(await a.subscribe('winners')).toMatchObject({ epoch: PREVIOUS_TRADING_DAY, sequence: 4178 });

    // The maintenance service never announced the 26th; at 04:00 upstream writes the 26th's lists.
    await h.upstream.snapshot('winners', makeRows(5, PRE_MARKET), { timestamp: PRE_MARKET, sequence: 1 });
    expect(await a.next((m) => m.type === 'new_day')).toEqual({ type: 'new_day', epoch: TRADING_DAY, date: TRADING_DAY });
    expect(await a.next((m) => m.type === 'snapshot' && m['epoch'] === TRADING_DAY)).toMatchObject({ sequence: 1, count: 5 });
    expect(running.server.epoch).toBe(TRADING_DAY);
    expect(await metricValue(running.httpUrl, 'scanner_ws_new_day_applied_total', { source: 'stream' })).toBe(1);

    // A timestamp from a trading day the server's clock has not reached is a broken one: dropped.
    await h.upstream.priceTick('winners', { timestamp: '2030-01-02T15:00:00.000Z' });
    await h.upstream.priceTick('winners', { timestamp: PRE_MARKET, sequence: 3 });
    const next = await a.next((m) => (m.type === 'delta' || m.type === 'snapshot') && m['sequence'] === 3);
    expect(next['epoch']).toBe(TRADING_DAY);
    expect(running.server.epoch).toBe(TRADING_DAY);
    expect(a.messages.filter((m) => m.type === 'new_day')).toHaveLength(1);
    expect(await metricValue(running.httpUrl, 'scanner_ws_stream_entries_total', { outcome: 'future_day' })).toBe(1);
  });

  it('PUBLISH trading:new_day clears the cache, tells every client, and never serves the previous day from memory', async () => {
    const running = await h.startServer();
    expect(running.server.epoch).toBe(PREVIOUS_TRADING_DAY);
    const a = await h.connect(running);
    expect(await a.subscribe('winners')).toMatchObject({ epoch: PREVIOUS_TRADING_DAY, sequence: 4178, count: 20 });
    await h.upstream.priceTick('winners', { timestamp: LATER_LAST_EVENING });
    await a.next((m) => m.type === 'delta' && m['sequence'] === 4179);

    expect(await h.upstream.announceNewDay(TRADING_DAY)).toBe(1);
    expect(await a.next((m) => m.type === 'new_day')).toEqual({ type: 'new_day', epoch: TRADING_DAY, date: TRADING_DAY });
    expect(running.server.epoch).toBe(TRADING_DAY);
    expect(await metricValue(running.httpUrl, 'scanner_ws_new_day_applied_total', { source: 'pubsub' })).toBe(1);

    // Redis still holds last evening's rows (upstream writes again at 04:00): they are not today's.
    const b = await h.connect(running);
    expect(b.messages[0]).toMatchObject({ type: 'connected', epoch: TRADING_DAY });
    expect(await b.subscribe('winners')).toMatchObject({ epoch: TRADING_DAY, sequence: 0, rows: [], count: 0 });
    const from = a.messages.length;
    a.send({ action: 'resync', list: 'winners' });
    expect(await a.next((m) => m.type === 'snapshot', { from })).toMatchObject({ epoch: TRADING_DAY, rows: [] });

    // A leftover entry produced yesterday changes nothing.
    await h.upstream.priceTick('winners', { timestamp: LATER_LAST_EVENING });
    await b.barrier();
    expect(b.listMessages('winners')).toHaveLength(1);

    // 04:00: upstream's first delta of the day. The server holds nothing for today, so it reads Redis.
    const top = h.upstream.rowsOf('winners').slice(0, 2);
    await h.upstream.delta(
      'winners',
      [
        ...h.upstream.rowsOf('winners').slice(2).map((r) => ({ action: 'remove' as const, symbol: r.symbol })),
        ...top.map((r) => ({ action: 'update' as const, rank: r.rank, symbol: r.symbol, data: { ...r, timestamp: PRE_MARKET } })),
      ],
      { timestamp: PRE_MARKET },
    );
    for (const client of [a, b]) {
      const fresh = await client.next((m) => m.type === 'snapshot' && m['count'] === 2);
      expect(fresh).toMatchObject({ epoch: TRADING_DAY, sequence: 4181 });
      expect(fresh['rows']).toEqual(h.upstream.rowsOf('winners'));
    }
  });

  it('applies the new day within the check interval when the Pub/Sub message is lost', async () => {
    const running = await h.startServer({ NEW_DAY_CHECK_INTERVAL_MS: '200' });
    const client = await h.connect(running);
    await client.subscribe('winners');

    const id = await clientIdByName(h.redis, running.connectionNames.subscriber);
    expect(id).not.toBeNull();
    await h.redis.client('KILL', 'ID', String(id));
    // Nobody hears it: the server's subscriber is reconnecting.
    expect(await h.upstream.announceNewDay(TRADING_DAY, { set: false })).toBe(0);
    await h.redis.set(h.keys.tradingCurrentDay, TRADING_DAY);

    expect(await client.next((m) => m.type === 'new_day')).toEqual({ type: 'new_day', epoch: TRADING_DAY, date: TRADING_DAY });
    expect(await metricValue(running.httpUrl, 'scanner_ws_new_day_applied_total', { source: 'pubsub' })).toBe(0);
    expect(await metricValue(running.httpUrl, 'scanner_ws_new_day_applied_total', { source: 'level_check' })).toBe(1);
    const b = await h.connect(running);
    expect(await b.subscribe('winners')).toMatchObject({ epoch: TRADING_DAY, rows: [] });
  });

  it('ignores a malformed announcement and applies each day once', async () => {
    const running = await h.startServer();
    const client = await h.connect(running);
    await h.redis.publish(h.keys.newDayChannel, '{"event":"something_else"}');
    await h.redis.publish(h.keys.newDayChannel, 'not json');
    await h.upstream.announceNewDay(TRADING_DAY);
    await h.upstream.announceNewDay(TRADING_DAY);
    await h.upstream.announceNewDay(PREVIOUS_TRADING_DAY, { set: false });
    await client.next((m) => m.type === 'new_day');
    // A sentinel: the next day. Messages on one channel arrive in order, so when it has landed the
    // duplicate and the older day before it have been handled.
    await h.upstream.announceNewDay('2025-11-28');
    await client.next((m) => m.type === 'new_day' && m['epoch'] === '2025-11-28');
    expect(client.messages.filter((m) => m.type === 'new_day').map((m) => m['epoch'])).toEqual([TRADING_DAY, '2025-11-28']);
    expect(await metricValue(running.httpUrl, 'scanner_ws_new_day_messages_invalid_total')).toBe(2);
  });
});

describe('POST /api/clear-cache', () => {
  const TOKEN = 'clear-cache-token-for-tests';
  const post = (url: string, body: unknown, token?: string) =>
    fetch(`${url}/api/clear-cache`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('is refused without the token or with a wrong one, and changes nothing', async () => {
    const running = await h.startServer({ CLEAR_CACHE_TOKEN: TOKEN });
    const client = await h.connect(running);
    await client.subscribe('winners');

    const missing = await post(running.httpUrl, { date: TRADING_DAY });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await post(running.httpUrl, { date: TRADING_DAY }, 'wrong-token-of-some-length')).status).toBe(401);
    expect((await post(running.httpUrl, { date: TRADING_DAY }, TOKEN.slice(0, -1))).status).toBe(401);

    await client.barrier();
    expect(client.messages.some((m) => m.type === 'new_day')).toBe(false);
    expect(running.server.epoch).toBe(PREVIOUS_TRADING_DAY);
  });

  it('answers 503 when no token is configured', async () => {
    const running = await h.startServer();
    const response = await post(running.httpUrl, { date: TRADING_DAY }, TOKEN);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'CLEAR_CACHE_DISABLED' });
  });

  it('with the token does what the new-day event does, once per day', async () => {
    const running = await h.startServer({ CLEAR_CACHE_TOKEN: TOKEN });
    const client = await h.connect(running);
    await client.subscribe('winners');

    const applied = await post(running.httpUrl, { reason: 'new_trading_day', date: TRADING_DAY }, TOKEN);
    expect(applied.status).toBe(200);
    expect(await applied.json()).toEqual({ result: 'applied', epoch: TRADING_DAY });
    expect(await client.next((m) => m.type === 'new_day')).toMatchObject({ epoch: TRADING_DAY });
    expect(await metricValue(running.httpUrl, 'scanner_ws_new_day_applied_total', { source: 'http' })).toBe(1);

    expect(await (await post(running.httpUrl, { date: TRADING_DAY }, TOKEN)).json()).toEqual({ result: 'unchanged', epoch: TRADING_DAY });
    const older = await post(running.httpUrl, { date: PREVIOUS_TRADING_DAY }, TOKEN);
    expect(older.status).toBe(409);
    expect(await older.json()).toMatchObject({ code: 'DATE_BEFORE_EPOCH' });
    const invalid = await post(running.httpUrl, { date: '2025-13-01' }, TOKEN);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: 'INVALID_DATE' });
  });

  it('without a date drops the in-memory lists, so the next subscriber reads Redis', async () => {
    await h.upstream.announceNewDay(TRADING_DAY, { publish: false });
    await h.upstream.snapshot('winners', makeRows(5, PRE_MARKET), { timestamp: PRE_MARKET });
    const running = await h.startServer({ CLEAR_CACHE_TOKEN: TOKEN });
    const a = await h.connect(running);
    await a.subscribe('winners');
    const b = await h.connect(running);
    await b.subscribe('winners');
    expect(await metricValue(running.httpUrl, 'scanner_ws_snapshot_source_total', { source: 'memory' })).toBe(1);

    const cleared = await post(running.httpUrl, undefined, TOKEN);
    expect(await cleared.json()).toEqual({ result: 'cleared', epoch: TRADING_DAY });
    const c = await h.connect(running);
    await c.subscribe('winners');
    expect(await metricValue(running.httpUrl, 'scanner_ws_snapshot_source_total', { source: 'redis' })).toBe(2);
  });
});
