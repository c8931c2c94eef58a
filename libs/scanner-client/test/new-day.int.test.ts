import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startClient } from './support/client.js';
import { NEW_DAY_MORNING, PREVIOUS_TRADING_DAY, TRADING_DAY, World, makeRows, waitFor } from './support/world.js';

/** 18:00 New York on the previous trading day: the last lists Redis holds at 03:00. */
const LAST_EVENING = '2025-11-25T23:00:00.000Z';
/** 04:00 New York: upstream's first write of the new day. */
const PRE_MARKET = '2025-11-26T09:00:00.000Z';

let w: World;
beforeEach(async () => {
  w = new World(NEW_DAY_MORNING);
  await w.upstream.announceNewDay(PREVIOUS_TRADING_DAY, { publish: false });
  await w.upstream.snapshot('winners', makeRows(20, LAST_EVENING), { timestamp: LAST_EVENING, sequence: 4178 });
  await w.upstream.snapshot('losers', makeRows(10, LAST_EVENING, { tag: 'L' }), { timestamp: LAST_EVENING, sequence: 900 });
});
afterEach(() => w.cleanup());

describe('new trading day against the real server', () => {
  it('new_day empties every table at once; the day’s first snapshot fills the list it belongs to', async () => {
    const running = await w.startServer();
    const c = startClient(w, { url: running.url, lists: ['winners', 'losers'] });
    await waitFor('yesterday’s lists', () => c.client.table('winners').sequence === 4178 && c.client.table('losers').sequence === 900);
    expect(c.client.table('winners').epoch).toBe(PREVIOUS_TRADING_DAY);

    await w.upstream.announceNewDay(TRADING_DAY);
    await waitFor('the new_day event', () => c.newDays.length === 1);
    expect(c.newDays).toEqual([TRADING_DAY]);
    for (const list of ['winners', 'losers'] as const) {
      expect(c.client.table(list)).toEqual({ list, epoch: TRADING_DAY, sequence: null, rows: [] });
    }

    await w.upstream.snapshot('winners', makeRows(5, PRE_MARKET, { tag: 'N' }), { timestamp: PRE_MARKET, sequence: 1 });
    await waitFor('the new day’s winners', () => c.client.table('winners').sequence === 1);
    expect(c.client.table('winners')).toEqual({ list: 'winners', epoch: TRADING_DAY, sequence: 1, rows: w.upstream.rowsOf('winners') });
    expect(c.client.table('losers')).toEqual({ list: 'losers', epoch: TRADING_DAY, sequence: null, rows: [] });
    expect(c.history('winners')).toEqual([
      ['snapshot', PREVIOUS_TRADING_DAY, 4178],
      ['reset', TRADING_DAY, null],
      ['snapshot', TRADING_DAY, 1],
    ]);
    expect(c.errors).toEqual([]);
  });

  it('a new day announced while the client was disconnected is applied from the next server’s connected epoch', async () => {
    const first = await w.startServer();
    const c = startClient(w, { url: first.url });
    await waitFor('yesterday’s winners', () => c.client.table('winners').sequence === 4178);

    await first.server.stop();
    await waitFor('reconnecting', () => c.client.state === 'reconnecting');
    await w.upstream.announceNewDay(TRADING_DAY, { publish: false }); // nobody listening: only trading:current_day says it
    await w.startServer(first.port);

    await waitFor('the new_day event', () => c.newDays.length === 1);
    expect(c.newDays).toEqual([TRADING_DAY]);
    // Redis still holds yesterday's rows; the server serves the new day as empty until upstream writes.
    await waitFor('the new day’s (empty) winners', () => c.client.table('winners').sequence === 0);
    expect(c.client.table('winners')).toEqual({ list: 'winners', epoch: TRADING_DAY, sequence: 0, rows: [] });

    await w.upstream.snapshot('winners', makeRows(3, PRE_MARKET, { tag: 'N' }), { timestamp: PRE_MARKET, sequence: 1 });
    await waitFor('the new day’s winners', () => c.client.table('winners').sequence === 1);
    expect(c.client.table('winners').rows).toEqual(w.upstream.rowsOf('winners'));
    // Yesterday's rows went away when the client learnt of the day, before the server's first answer.
    expect(c.history('winners')).toEqual([
      ['snapshot', PREVIOUS_TRADING_DAY, 4178],
      ['reset', TRADING_DAY, null],
      ['snapshot', TRADING_DAY, 0],
      ['snapshot', TRADING_DAY, 1],
    ]);
  });
});
