import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRADING_DAY } from './support/clock.js';
import { Harness, metricValue } from './support/harness.js';
import { makeRows } from './support/upstream.js';
import { waitFor } from './support/wait.js';

const HIGH_WATERMARK = 128 * 1024;
const HARD_LIMIT = 512 * 1024;
/** Each delta carries this much padding, so the kernel buffers fill after a few hundred. */
const PADDING = 32 * 1024;
const MAX_DELTAS = 2_000;

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.upstream.announceNewDay(TRADING_DAY, { publish: false });
});
afterEach(() => h.cleanup());

describe('a client that stops reading', () => {
  it('keeps server memory bounded, never delays the others, and ends with a fresh snapshot', async () => {
    await h.upstream.snapshot('winners', makeRows(20, h.clock.now().toISOString()));
    const running = await h.startServer({
      SLOW_CLIENT_HIGH_WATERMARK_BYTES: String(HIGH_WATERMARK),
      SLOW_CLIENT_HARD_LIMIT_BYTES: String(HARD_LIMIT),
      SLOW_CLIENT_HARD_LIMIT_MS: '60000',
      SLOW_CLIENT_CHECK_INTERVAL_MS: '50',
    });
    const fast = await h.connect(running);
    const slow = await h.connect(running);
    await fast.subscribe('winners');
    await slow.subscribe('winners');
    const slowId = slow.connectionId;
    const slowStats = () => running.server.clients().find((c) => c.id === slowId);

    // Stop reading: the kernel buffers fill, then the server's own buffer for this socket grows.
    (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    let maxBuffered = 0;
    let written = 0;
    while (!slowStats()?.lagging && written < MAX_DELTAS) {
      await h.upstream.priceTick('winners', { padding: PADDING });
      written++;
      maxBuffered = Math.max(maxBuffered, slowStats()?.bufferedAmount ?? 0);
    }
    expect(slowStats()?.lagging).toBe(true);
    // Keep publishing while it is stuck: its buffer must not follow.
    for (let i = 0; i < 50; i++) {
      await h.upstream.priceTick('winners', { padding: PADDING });
      maxBuffered = Math.max(maxBuffered, slowStats()?.bufferedAmount ?? 0);
    }
    const last = h.upstream.sequenceOf('winners');

    // The fast client got every delta, in order, while the slow one was stuck.
    await fast.next((m) => m.type === 'delta' && m['sequence'] === last, { timeoutMs: 15_000 });
    expect(fast.listMessages('winners').map((m) => m['sequence'])).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(fast.rebuild('winners').rows).toEqual(h.upstream.rowsOf('winners'));
    expect(maxBuffered).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThan(HARD_LIMIT);
    expect(await metricValue(running.httpUrl, 'scanner_ws_slow_consumer_actions_total', { action: 'lagging' })).toBeGreaterThanOrEqual(1);

    (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    await slow.next((m) => (m.type === 'snapshot' && m['sequence'] === last) || slow.closed !== null, { timeoutMs: 15_000 });
    if (slow.closed !== null) {
      expect(slow.closed.code).toBe(4008);
    } else {
      // Snapshot, the deltas it had buffered, then one fresh snapshot: it rebuilds exactly upstream's rows.
      expect(slow.rebuild('winners')).toEqual({ rows: h.upstream.rowsOf('winners'), sequence: last });
      expect(slow.listMessages('winners').filter((m) => m.type === 'snapshot').length).toBeGreaterThanOrEqual(2);
      expect(await metricValue(running.httpUrl, 'scanner_ws_slow_consumer_actions_total', { action: 'recovered' })).toBeGreaterThanOrEqual(1);
      await h.upstream.priceTick('winners');
      await slow.next((m) => m.type === 'delta' && m['sequence'] === last + 1);
    }
  });

  it('answers nothing big to a lagging client and closes it with 4008 when it stays stuck', async () => {
    await h.upstream.snapshot('winners', makeRows(20, h.clock.now().toISOString()));
    const running = await h.startServer({
      SLOW_CLIENT_HIGH_WATERMARK_BYTES: String(64 * 1024),
      SLOW_CLIENT_HARD_LIMIT_BYTES: String(96 * 1024),
      SLOW_CLIENT_HARD_LIMIT_MS: '600000',
      SLOW_CLIENT_MAX_LAG_MS: '1500',
      SLOW_CLIENT_CHECK_INTERVAL_MS: '50',
    });
    const slow = await h.connect(running);
    await slow.subscribe('winners');
    const slowId = slow.connectionId;
    const slowStats = () => running.server.clients().find((c) => c.id === slowId);
    (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();

    let written = 0;
    while (slowStats()?.lagging === false && written < MAX_DELTAS) {
      await h.upstream.priceTick('winners', { padding: PADDING });
      written++;
    }
    expect(slowStats()?.lagging).toBe(true);

    // Its own requests must not grow its buffer either: snapshots wait for the drain.
    const before = slowStats()?.bufferedAmount ?? 0;
    for (let i = 0; i < 20; i++) slow.send({ action: 'resync', list: 'winners' });
    await h.upstream.priceTick('winners', { padding: PADDING });
    const closedCount = () => metricValue(running.httpUrl, 'scanner_ws_slow_consumer_actions_total', { action: 'closed' });
    expect(await closedCount()).toBe(0);
    expect(slowStats()?.bufferedAmount ?? 0).toBeLessThanOrEqual(before + 1024);

    // Never drained: closed once it has lagged for SLOW_CLIENT_MAX_LAG_MS, though under the hard limit.
    await waitFor('the slow client to be closed', async () => (await closedCount()) === 1, 15_000);
    (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await slow.waitForClose(15_000)).code).toBe(4008);
  });
});

