import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRADING_DAY } from './support/clock.js';
import { Harness, metricValue } from './support/harness.js';
import { makeRows } from './support/upstream.js';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.upstream.announceNewDay(TRADING_DAY, { publish: false });
});
afterEach(() => h.cleanup());

describe('subscribe', () => {
  it('on an empty cache serves the snapshot from Redis with the epoch and sequence, then the deltas in order', async () => {
    // Written before the server starts: it reads the stream from its end, so only Redis has these.
    await h.upstream.snapshot('winners', makeRows(100, h.clock.now().toISOString()));
    for (let i = 0; i < 5; i++) await h.upstream.priceTick('winners');
    const running = await h.startServer();
    const client = await h.connect(running);

    const subscribed = client.next((m) => m.type === 'subscribed_list');
    const snapshot = await client.subscribe('winners');
    expect(await subscribed).toEqual({ type: 'subscribed_list', list: 'winners', epoch: TRADING_DAY, sequence: 6 });
    expect(snapshot).toMatchObject({ type: 'snapshot', list: 'winners', epoch: TRADING_DAY, sequence: 6, count: 100 });
    expect(snapshot['rows']).toEqual(h.upstream.rowsOf('winners'));
    // subscribed_list comes before the snapshot
    expect(client.messages.findIndex((m) => m.type === 'subscribed_list')).toBeLessThan(client.messages.indexOf(snapshot));
    expect(await metricValue(running.httpUrl, 'scanner_ws_snapshot_source_total', { source: 'redis' })).toBe(1);

    await h.upstream.delta('winners', [
      { action: 'remove', symbol: 'S099' },
      { action: 'add', rank: 100, symbol: 'NEW1', data: { price: 1, timestamp: h.clock.now().toISOString() } },
    ]);
    for (let i = 0; i < 3; i++) await h.upstream.priceTick('winners');
    await client.next((m) => m.type === 'delta' && m['sequence'] === 10);

    const deltas = client.listMessages('winners').filter((m) => m.type === 'delta');
    expect(deltas.map((m) => m['sequence'])).toEqual([7, 8, 9, 10]);
    expect(deltas.every((m) => m['epoch'] === TRADING_DAY)).toBe(true);
    expect(client.rebuild('winners')).toEqual({ rows: h.upstream.rowsOf('winners'), sequence: 10 });
    expect(client.errors()).toEqual([]);
  });

  it('gives a late subscriber the current rows from memory, then the next delta: no gap, no resync', async () => {
    await h.upstream.snapshot('gappers_up', makeRows(50, h.clock.now().toISOString()));
    const running = await h.startServer();
    const early = await h.connect(running);
    await early.subscribe('gappers_up');
    for (let i = 0; i < 60; i++) await h.upstream.priceTick('gappers_up');
    await early.next((m) => m.type === 'delta' && m['sequence'] === 61);

    const late = await h.connect(running);
    const snapshot = await late.subscribe('gappers_up');
    expect(snapshot).toMatchObject({ sequence: 61, epoch: TRADING_DAY });
    expect(snapshot['rows']).toEqual(h.upstream.rowsOf('gappers_up'));
    expect(await metricValue(running.httpUrl, 'scanner_ws_snapshot_source_total', { source: 'memory' })).toBe(1);

    await h.upstream.priceTick('gappers_up');
    await late.next((m) => m.type === 'delta' && m['sequence'] === 62);
    expect(late.listMessages('gappers_up').map((m) => [m.type, m['sequence']])).toEqual([
      ['snapshot', 61],
      ['delta', 62],
    ]);
    expect(late.rebuild('gappers_up').rows).toEqual(h.upstream.rowsOf('gappers_up'));
    expect(late.errors()).toEqual([]);
    expect(early.rebuild('gappers_up').sequence).toBe(62);
  });

  it('serves a list never written as sequence 0 with no rows, then its first snapshot from the stream', async () => {
    const running = await h.startServer();
    const client = await h.connect(running);
    expect(await client.subscribe('reversals')).toMatchObject({ sequence: 0, rows: [], count: 0, epoch: TRADING_DAY });
    await h.upstream.snapshot('reversals', makeRows(3, h.clock.now().toISOString()));
    const first = await client.next((m) => m.type === 'snapshot' && m['sequence'] === 1);
    expect(first['rows']).toEqual(h.upstream.rowsOf('reversals'));
  });

  it('accepts the seed alias and skips the snapshot when resuming at the current state', async () => {
    await h.upstream.snapshot('losers', makeRows(10, h.clock.now().toISOString()));
    const running = await h.startServer();
    const client = await h.connect(running);
    client.send({ action: 'subscribe', list: 'losers' });
    await client.next((m) => m.type === 'snapshot' && m['list'] === 'losers');

    const resumed = await h.connect(running);
    const from = resumed.messages.length;
    await resumed.subscribe('losers', { epoch: TRADING_DAY, sequence: 1 });
    await h.upstream.priceTick('losers');
    await resumed.next((m) => m.type === 'delta' && m['sequence'] === 2);
    expect(resumed.messages.slice(from).map((m) => m.type)).toEqual(['subscribed_list', 'delta']);

    const stale = await h.connect(running);
    const snapshot = await stale.subscribe('losers', { epoch: TRADING_DAY, sequence: 1 }).then(() =>
      stale.next((m) => m.type === 'snapshot'),
    );
    expect(snapshot['sequence']).toBe(2);
  });

  it('answers ping, unsubscribes, and stops sending the list', async () => {
    await h.upstream.snapshot('winners', makeRows(5, h.clock.now().toISOString()));
    const running = await h.startServer();
    const client = await h.connect(running);
    await client.subscribe('winners');
    client.send({ action: 'ping' });
    await client.next((m) => m.type === 'pong');
    client.send({ action: 'unsubscribe_list', list: 'winners' });
    await client.next((m) => m.type === 'unsubscribed_list' && m['list'] === 'winners');
    expect(await metricValue(running.httpUrl, 'scanner_ws_subscriptions', { list: 'winners' })).toBe(0);

    const watcher = await h.connect(running);
    await watcher.subscribe('winners');
    await h.upstream.priceTick('winners');
    await watcher.next((m) => m.type === 'delta');
    // The watcher got the delta; the unsubscribed client, on the same server, did not.
    await client.barrier();
    expect(client.listMessages('winners').filter((m) => m.type === 'delta')).toEqual([]);
  });
});
