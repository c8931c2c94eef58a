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

describe('entries trimmed from the stream before the reader saw them', () => {
  it('reloads every subscribed list from Redis, so a missed scanner restart does not freeze the list', async () => {
    await h.upstream.snapshot('momentum_up', makeRows(30, h.clock.now().toISOString()), { sequence: 4000 });
    const running = await h.startServer();
    const client = await h.connect(running);
    await client.subscribe('momentum_up');
    await h.upstream.priceTick('momentum_up'); // 4001
    await client.next((m) => m.type === 'delta' && m['sequence'] === 4001);

    // Upstream restarts (snapshot 1, delta 2), and MAXLEN trims both entries before this reader reads
    // them: the reader is woken but finds nothing past its position.
    await h.upstream.snapshot('momentum_up', makeRows(8, h.clock.now().toISOString(), { tag: 'R' }), { sequence: 1, xadd: false });
    await h.upstream.priceTick('momentum_up', { xadd: false }); // 2
    await h.redis
      .multi()
      .xadd(h.keys.rankingDeltas, '*', 'type', 'delta', 'list', 'momentum_up', 'sequence', '2', 'deltas', '[]', 'timestamp', h.clock.now().toISOString(), 'change_count', '0')
      .xtrim(h.keys.rankingDeltas, 'MAXLEN', 0)
      .exec();
    // Without noticing the loss, deltas 3, 4, ... are "duplicates" of 4001 until upstream passes it.
    await h.upstream.priceTick('momentum_up'); // 3
    await client.next((m) => m.type === 'snapshot' && m['sequence'] !== 4000);
    await h.upstream.priceTick('momentum_up'); // 4
    await client.next((m) => m.type === 'delta' && m['sequence'] === 4);

    expect(client.rebuild('momentum_up')).toEqual({ rows: h.upstream.rowsOf('momentum_up'), sequence: 4 });
    expect(await metricValue(running.httpUrl, 'scanner_ws_list_loads_total', { reason: 'stream_loss' })).toBe(1);
    expect(client.errors()).toEqual([]);
  });
});
