import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRADING_DAY } from './support/clock.js';
import { Harness } from './support/harness.js';
import { makeRows } from './support/upstream.js';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.upstream.announceNewDay(TRADING_DAY, { publish: false });
});
afterEach(() => h.cleanup());

describe('two server instances on one Redis', () => {
  it('each reads the stream on its own and delivers every delta to its clients', async () => {
    await h.upstream.snapshot('winners', makeRows(40, h.clock.now().toISOString()));
    await h.upstream.snapshot('losers', makeRows(40, h.clock.now().toISOString(), { tag: 'L' }));
    const one = await h.startServer();
    const two = await h.startServer();
    const clients = [await h.connect(one), await h.connect(one), await h.connect(two), await h.connect(two)];
    for (const client of clients) {
      await client.subscribe('winners');
      await client.subscribe('losers');
    }

    for (let i = 0; i < 40; i++) {
      await h.upstream.priceTick('winners');
      await h.upstream.priceTick('losers');
    }
    for (const client of clients) {
      await client.next((m) => m.type === 'delta' && m['list'] === 'winners' && m['sequence'] === 41);
      await client.next((m) => m.type === 'delta' && m['list'] === 'losers' && m['sequence'] === 41);
    }

    for (const client of clients) {
      for (const list of ['winners', 'losers'] as const) {
        const sequences = client.listMessages(list).map((m) => m['sequence']);
        expect(sequences).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
        expect(client.rebuild(list).rows).toEqual(h.upstream.rowsOf(list));
      }
      expect(client.errors()).toEqual([]);
    }
  });
});
