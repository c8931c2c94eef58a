import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startClient } from './support/client.js';
import { type Frame, Tap } from './support/tapped-websocket.js';
import { TRADING_DAY, World, makeRows, waitFor } from './support/world.js';

let w: World;
beforeEach(async () => {
  w = new World();
  await w.upstream.announceNewDay(TRADING_DAY, { publish: false });
  await w.upstream.snapshot('winners', makeRows(20, w.clock.now().toISOString()), { sequence: 40 });
  await w.upstream.snapshot('losers', makeRows(10, w.clock.now().toISOString(), { tag: 'L' }), { sequence: 7 });
  await w.upstream.snapshot('gappers_up', makeRows(6, w.clock.now().toISOString(), { tag: 'G' }), { sequence: 3 });
  await w.upstream.snapshot('gappers_down', makeRows(5, w.clock.now().toISOString(), { tag: 'D' }), { sequence: 12 });
});
afterEach(() => w.cleanup());

const subscribes = (frames: Frame[]) => frames.filter((f) => f.action === 'subscribe_list');
const byList = (a: Frame, b: Frame) => String(a['list']).localeCompare(String(b['list']));

describe('subscribe and unsubscribe at runtime against the real server', () => {
  it('a client started with no lists subscribes one at runtime: snapshot, then deltas, equal to upstream', async () => {
    const running = await w.startServer();
    const tap = new Tap();
    const c = startClient(w, { url: running.url, lists: [], WebSocket: tap.WebSocket });
    await waitFor('open', () => c.client.state === 'open');
    await waitFor('connected', () => tap.receivedOn(0).some((f) => f.type === 'connected'));
    expect(tap.sentOn(0)).toEqual([]);

    c.client.subscribe('losers');
    await waitFor('the losers snapshot', () => c.client.table('losers').sequence === 7);
    expect(c.client.table('losers')).toEqual({ list: 'losers', epoch: TRADING_DAY, sequence: 7, rows: w.upstream.rowsOf('losers') });

    await w.upstream.priceTick('losers'); // 8
    await w.upstream.reshuffle('losers', 'NEWL'); // 9
    await waitFor('9', () => c.client.table('losers').sequence === 9);
    expect(c.client.table('losers').rows).toEqual(w.upstream.rowsOf('losers'));
    expect(c.history('losers')).toEqual([
      ['snapshot', TRADING_DAY, 7],
      ['delta', TRADING_DAY, 8],
      ['delta', TRADING_DAY, 9],
    ]);
    expect(tap.sentOn(0)).toEqual([{ action: 'subscribe_list', list: 'losers' }]);
    expect(c.errors).toEqual([]);
  });

  it('unsubscribe stops updates: a delta in flight is not applied, and nothing of the list follows the server’s unsubscribed_list', async () => {
    const running = await w.startServer();
    const tap = new Tap();
    // unsubscribe() runs the moment the tap sees losers #8 arriving, before the client gets it: a delta in flight.
    let unsubscribedAt = -1;
    tap.drop = (frame) => {
      if (frame.type === 'delta' && frame['list'] === 'losers' && frame['sequence'] === 8) {
        c.client.unsubscribe('losers');
        unsubscribedAt = c.tables.length;
      }
      return false;
    };
    const c = startClient(w, { url: running.url, lists: ['winners', 'losers'], WebSocket: tap.WebSocket });
    await waitFor('both snapshots', () => c.client.table('winners').sequence === 40 && c.client.table('losers').sequence === 7);

    await w.upstream.priceTick('losers'); // 8: in flight when the client unsubscribes
    await waitFor('the unsubscribed_list answer', () => tap.receivedOn(0).some((f) => f.type === 'unsubscribed_list'));
    expect(unsubscribedAt).toBeGreaterThan(0);
    expect(tap.receivedOn(0).some((f) => f.type === 'delta' && f['list'] === 'losers' && f['sequence'] === 8)).toBe(true);

    await w.upstream.priceTick('losers'); // 9: the server no longer sends it
    await w.upstream.priceTick('winners'); // 41: the other list goes on
    await waitFor('41', () => c.client.table('winners').sequence === 41);

    expect(() => c.client.table('losers')).toThrow(expect.objectContaining({ code: 'NOT_FOLLOWED' }));
    expect(c.tables.slice(unsubscribedAt).map((u) => [u.table.list, u.kind, u.table.sequence])).toEqual([['winners', 'delta', 41]]);
    expect(c.history('losers')).toEqual([['snapshot', TRADING_DAY, 7]]);
    const received = tap.receivedOn(0);
    const answer = received.findIndex((f) => f.type === 'unsubscribed_list');
    expect(received[answer]).toEqual({ type: 'unsubscribed_list', list: 'losers' });
    expect(received.slice(answer + 1).filter((f) => f['list'] === 'losers')).toEqual([]);
    expect(tap.sentOn(0).filter((f) => f['list'] === 'losers')).toEqual([
      { action: 'subscribe_list', list: 'losers' },
      { action: 'unsubscribe_list', list: 'losers' },
    ]);
    expect(c.client.table('winners').rows).toEqual(w.upstream.rowsOf('winners'));
    expect(c.errors).toEqual([]);
  });

  it('a reconnect subscribes exactly the current set: runtime additions (with resume), not the unsubscribed, and one added while away', async () => {
    const first = await w.startServer();
    const tap = new Tap();
    const c = startClient(w, { url: first.url, lists: ['winners', 'losers'], WebSocket: tap.WebSocket });
    await waitFor('both snapshots', () => c.client.table('winners').sequence === 40 && c.client.table('losers').sequence === 7);
    c.client.unsubscribe('losers');
    c.client.subscribe('gappers_up');
    await waitFor('the gappers_up snapshot', () => c.client.table('gappers_up').sequence === 3);
    await waitFor('the unsubscribed_list answer', () => tap.receivedOn(0).some((f) => f.type === 'unsubscribed_list'));

    await first.server.stop(); // closes every client with 1001
    await waitFor('reconnecting', () => c.client.state === 'reconnecting');
    c.client.subscribe('gappers_down');
    await w.upstream.priceTick('gappers_up'); // 4, while no server runs

    const second = await w.startServer(first.port);
    expect(second.url).toBe(first.url);
    await waitFor('the gappers_down snapshot', () => c.client.table('gappers_down').sequence === 12);
    await waitFor('the gappers_up snapshot on the new connection', () => c.client.table('gappers_up').sequence === 4);
    const connection = tap.connections - 1;
    expect(connection).toBeGreaterThan(0);
    expect(subscribes(tap.sentOn(connection)).sort(byList)).toEqual([
      { action: 'subscribe_list', list: 'gappers_down' },
      { action: 'subscribe_list', list: 'gappers_up', resume: { epoch: TRADING_DAY, sequence: 3 } },
      { action: 'subscribe_list', list: 'winners', resume: { epoch: TRADING_DAY, sequence: 40 } },
    ]);
    expect(tap.sentOn(connection).filter((f) => f.action !== 'subscribe_list' && f.action !== 'ping')).toEqual([]);
    expect(c.client.followedLists).toEqual(['winners', 'gappers_up', 'gappers_down']);

    await w.upstream.priceTick('losers'); // 8: not followed, never sent
    await w.upstream.priceTick('winners'); // 41
    await waitFor('41', () => c.client.table('winners').sequence === 41);
    expect(tap.receivedOn(connection).filter((f) => f['list'] === 'losers')).toEqual([]);
    for (const list of ['winners', 'gappers_up', 'gappers_down'] as const) {
      expect(c.client.table(list).rows).toEqual(w.upstream.rowsOf(list));
    }
    expect(c.client.state).toBe('open');
    expect(c.errors).toEqual([]);
  });
});
