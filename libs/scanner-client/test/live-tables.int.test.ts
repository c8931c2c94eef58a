import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startClient } from './support/client.js';
import { Tap } from './support/tapped-websocket.js';
import { TRADING_DAY, World, makeRows, waitFor } from './support/world.js';

let w: World;
beforeEach(async () => {
  w = new World();
  await w.upstream.announceNewDay(TRADING_DAY, { publish: false });
  await w.upstream.snapshot('winners', makeRows(20, w.clock.now().toISOString()), { sequence: 500 });
  await w.upstream.snapshot('losers', makeRows(10, w.clock.now().toISOString(), { tag: 'L' }), { sequence: 7 });
});
afterEach(() => w.cleanup());

describe('live tables against the real server and Redis', () => {
  it('receives the snapshot, then the deltas in order, and holds exactly the rows upstream holds', async () => {
    const running = await w.startServer();
    const c = startClient(w, { url: running.url, lists: ['winners', 'losers'] });
    await waitFor('both snapshots', () => c.client.table('winners').sequence === 500 && c.client.table('losers').sequence === 7);
    expect(c.client.table('winners')).toEqual({ list: 'winners', epoch: TRADING_DAY, sequence: 500, rows: w.upstream.rowsOf('winners') });
    expect(c.client.state).toBe('open');

    await w.upstream.priceTick('winners'); // 501
    await w.upstream.reshuffle('winners', 'NEW1'); // 502: remove, reranks, update, add
    await w.upstream.priceTick('winners', { rank: 5 }); // 503
    await w.upstream.priceTick('losers'); // 8
    await waitFor('the deltas', () => c.client.table('winners').sequence === 503 && c.client.table('losers').sequence === 8);

    expect(c.client.table('winners').rows).toEqual(w.upstream.rowsOf('winners'));
    expect(c.client.table('losers').rows).toEqual(w.upstream.rowsOf('losers'));
    expect(c.history('winners')).toEqual([
      ['snapshot', TRADING_DAY, 500],
      ['delta', TRADING_DAY, 501],
      ['delta', TRADING_DAY, 502],
      ['delta', TRADING_DAY, 503],
    ]);
    const reshuffled = c.tables.find((u) => u.table.list === 'winners' && u.table.sequence === 502);
    // Every row moved down one place except the one that jumped to the top: all changed, the dropped one gone.
    expect(reshuffled?.changed).toEqual(new Set(w.upstream.rowsOf('winners').map((r) => r.symbol)));
    expect(reshuffled?.table.rows.some((r) => r.symbol === 'S019')).toBe(false);
    expect(c.errors).toEqual([]);
  });

  it('a delta lost on the way: the client detects the gap, sends one resync, and ends with upstream’s rows', async () => {
    const running = await w.startServer();
    const tap = new Tap();
    tap.drop = (frame) => frame.type === 'delta' && frame['list'] === 'winners' && frame['sequence'] === 502;
    const c = startClient(w, { url: running.url, WebSocket: tap.WebSocket });
    await waitFor('the snapshot', () => c.client.table('winners').sequence === 500);

    await w.upstream.priceTick('winners'); // 501
    await w.upstream.priceTick('winners', { rank: 2 }); // 502, hidden from the client
    await w.upstream.reshuffle('winners', 'NEW1'); // 503: does not follow 501
    await waitFor('the resync snapshot', () => c.client.table('winners').sequence === 503);

    expect(c.client.table('winners').rows).toEqual(w.upstream.rowsOf('winners'));
    expect(tap.sentOn(0).filter((f) => f.action === 'resync')).toEqual([{ action: 'resync', list: 'winners' }]);
    expect(c.errors).toEqual([expect.objectContaining({ code: 'SEQUENCE_GAP', list: 'winners' })]);
    expect(c.history('winners')).toEqual([
      ['snapshot', TRADING_DAY, 500],
      ['delta', TRADING_DAY, 501],
      ['snapshot', TRADING_DAY, 503],
    ]);

    await w.upstream.priceTick('winners'); // 504 continues from the resync's snapshot
    await waitFor('the next delta', () => c.client.table('winners').sequence === 504);
    expect(c.client.table('winners').rows).toEqual(w.upstream.rowsOf('winners'));
    expect(c.history('winners').at(-1)).toEqual(['delta', TRADING_DAY, 504]);
  });

  it('an upstream sequence jump: the server sends one snapshot, the client takes it and follows on', async () => {
    const running = await w.startServer();
    const c = startClient(w, { url: running.url });
    await waitFor('the snapshot', () => c.client.table('winners').sequence === 500);
    await w.upstream.priceTick('winners'); // 501
    await w.upstream.priceTick('winners', { sequence: 510 }); // 502..509 never written
    // The server reloads the list from Redis on the gap: 511 must not be there yet, or the snapshot is 511's.
    await waitFor('510', () => c.client.table('winners').sequence === 510);
    await w.upstream.priceTick('winners'); // 511
    await waitFor('511', () => c.client.table('winners').sequence === 511);
    expect(c.client.table('winners').rows).toEqual(w.upstream.rowsOf('winners'));
    expect(c.history('winners')).toEqual([
      ['snapshot', TRADING_DAY, 500],
      ['delta', TRADING_DAY, 501],
      ['snapshot', TRADING_DAY, 510],
      ['delta', TRADING_DAY, 511],
    ]);
    expect(c.errors).toEqual([]);
  });

  it('stream entries trimmed before the server read them (an upstream restart among them): the table still ends equal to upstream', async () => {
    const running = await w.startServer();
    const c = startClient(w, { url: running.url });
    await waitFor('the snapshot', () => c.client.table('winners').sequence === 500);
    await w.upstream.priceTick('winners'); // 501
    await waitFor('501', () => c.client.table('winners').sequence === 501);

    // Upstream restarts (snapshot 1, delta 2) and MAXLEN trims both entries before the reader sees them.
    await w.upstream.snapshot('winners', makeRows(8, w.clock.now().toISOString(), { tag: 'R' }), { sequence: 1, xadd: false });
    await w.upstream.priceTick('winners', { xadd: false }); // 2
    await w.redis
      .multi()
      .xadd(w.keys.rankingDeltas, '*', 'type', 'delta', 'list', 'winners', 'sequence', '2', 'deltas', '[]', 'timestamp', w.clock.now().toISOString(), 'change_count', '0')
      .xtrim(w.keys.rankingDeltas, 'MAXLEN', 0)
      .exec();
    await w.upstream.priceTick('winners'); // 3
    await waitFor('the reload snapshot', () => c.client.table('winners').sequence !== 501 && c.client.table('winners').rows[0]?.symbol.startsWith('R'));
    await w.upstream.priceTick('winners'); // 4
    await waitFor('4', () => c.client.table('winners').sequence === 4);
    expect(c.client.table('winners').rows).toEqual(w.upstream.rowsOf('winners'));
    expect(c.history('winners').filter(([kind]) => kind === 'snapshot').length).toBeGreaterThanOrEqual(2);
  });
});
