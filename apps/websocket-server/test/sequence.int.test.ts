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

const shape = (messages: { type: string; [k: string]: unknown }[]) => messages.map((m) => [m.type, m['sequence']]);

describe('sequences', () => {
  it('a gap in the stream gives subscribers exactly one fresh snapshot, then deltas continue', async () => {
    await h.upstream.snapshot('winners', makeRows(20, h.clock.now().toISOString()));
    const running = await h.startServer();
    const client = await h.connect(running);
    await client.subscribe('winners');

    await h.upstream.priceTick('winners'); // 2
    await h.upstream.priceTick('winners', { xadd: false }); // 3: in Redis, never in the stream
    await h.upstream.priceTick('winners'); // 4: the server sees 2 then 4
    // The reload reads Redis as it is at that moment; waiting keeps the expected sequence exact.
    await client.next((m) => m.type === 'snapshot' && m['sequence'] === 4);
    await h.upstream.priceTick('winners'); // 5
    await h.upstream.priceTick('winners'); // 6
    await client.next((m) => m.type === 'delta' && m['sequence'] === 6);

    expect(shape(client.listMessages('winners'))).toEqual([
      ['snapshot', 1],
      ['delta', 2],
      ['snapshot', 4],
      ['delta', 5],
      ['delta', 6],
    ]);
    expect(client.rebuild('winners').rows).toEqual(h.upstream.rowsOf('winners'));
    expect(client.errors()).toEqual([]);
    expect(await metricValue(running.httpUrl, 'scanner_ws_list_loads_total', { reason: 'gap' })).toBe(1);
  });

  it('a delta that does not fit the held rows reloads the list once', async () => {
    await h.upstream.snapshot('losers', makeRows(10, h.clock.now().toISOString()));
    const running = await h.startServer();
    const client = await h.connect(running);
    await client.subscribe('losers');

    // Upstream's keys say S000 left and S001 moved up; the stream entry instead removes a symbol never listed.
    await h.upstream.delta('losers', [{ action: 'remove', symbol: 'S000' }], { xadd: false });
    await h.upstream.garbageEntry([
      'type', 'delta', 'list', 'losers', 'sequence', '2',
      'deltas', JSON.stringify([{ action: 'remove', symbol: 'NOPE' }]),
      'timestamp', h.clock.now().toISOString(), 'change_count', '1',
    ]);
    await client.next((m) => m.type === 'snapshot' && m['sequence'] === 2);
    await h.upstream.priceTick('losers'); // 3
    await client.next((m) => m.type === 'delta' && m['sequence'] === 3);

    expect(shape(client.listMessages('losers'))).toEqual([
      ['snapshot', 1],
      ['snapshot', 2],
      ['delta', 3],
    ]);
    expect(client.rebuild('losers').rows).toEqual(h.upstream.rowsOf('losers'));
    expect(await metricValue(running.httpUrl, 'scanner_ws_list_loads_total', { reason: 'conflict' })).toBe(1);
  });

  it('a scanner restart (sequence back to 1 with a snapshot) resets every subscriber cleanly', async () => {
    await h.upstream.snapshot('momentum_up', makeRows(30, h.clock.now().toISOString()), { sequence: 4000 });
    const running = await h.startServer();
    const client = await h.connect(running);
    await client.subscribe('momentum_up');
    await h.upstream.priceTick('momentum_up'); // 4001

    const restartedRows = makeRows(8, h.clock.now().toISOString(), { tag: 'R' });
    await h.upstream.snapshot('momentum_up', restartedRows, { sequence: 1 });
    await h.upstream.priceTick('momentum_up'); // 2
    await h.upstream.priceTick('momentum_up'); // 3
    await client.next((m) => m.type === 'delta' && m['sequence'] === 3);

    expect(shape(client.listMessages('momentum_up'))).toEqual([
      ['snapshot', 4000],
      ['delta', 4001],
      ['snapshot', 1],
      ['delta', 2],
      ['delta', 3],
    ]);
    expect(client.rebuild('momentum_up').rows).toEqual(h.upstream.rowsOf('momentum_up'));

    const newcomer = await h.connect(running);
    const snapshot = await newcomer.subscribe('momentum_up');
    expect(snapshot).toMatchObject({ sequence: 3 });
    expect(snapshot['rows']).toEqual(h.upstream.rowsOf('momentum_up'));
  });

  it('ignores a replayed delta at or below the held sequence', async () => {
    await h.upstream.snapshot('new_highs', makeRows(5, h.clock.now().toISOString()));
    const running = await h.startServer();
    const client = await h.connect(running);
    await client.subscribe('new_highs');
    await h.upstream.priceTick('new_highs'); // 2
    await client.next((m) => m.type === 'delta' && m['sequence'] === 2);
    await h.upstream.garbageEntry([
      'type', 'delta', 'list', 'new_highs', 'sequence', '2', 'deltas', '[]',
      'timestamp', h.clock.now().toISOString(), 'change_count', '0',
    ]);
    await h.upstream.priceTick('new_highs'); // 3
    await client.next((m) => m.type === 'delta' && m['sequence'] === 3);
    expect(shape(client.listMessages('new_highs'))).toEqual([
      ['snapshot', 1],
      ['delta', 2],
      ['delta', 3],
    ]);
  });

  it('stays exact when the cache holds fewer lists than are live (evicted lists reload from Redis)', async () => {
    await h.upstream.snapshot('winners', makeRows(10, h.clock.now().toISOString()));
    await h.upstream.snapshot('losers', makeRows(10, h.clock.now().toISOString(), { tag: 'L' }));
    const running = await h.startServer({ SNAPSHOT_CACHE_MAX: '1' });
    const client = await h.connect(running);
    await client.subscribe('winners');
    await client.subscribe('losers');
    for (let i = 0; i < 10; i++) {
      await h.upstream.priceTick('winners');
      await h.upstream.priceTick('losers');
    }
    for (const list of ['winners', 'losers'] as const) {
      await client.next((m) => m['list'] === list && m['sequence'] === 11);
    }
    for (const list of ['winners', 'losers'] as const) {
      expect(client.rebuild(list)).toEqual({ rows: h.upstream.rowsOf(list), sequence: 11 });
    }
    expect(client.errors()).toEqual([]);
  });
});
