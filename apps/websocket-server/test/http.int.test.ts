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

describe('HTTP endpoints', () => {
  it('/healthz and /readyz report a live, ready server', async () => {
    const running = await h.startServer();
    expect((await fetch(`${running.httpUrl}/healthz`)).status).toBe(200);
    await expect.poll(async () => (await fetch(`${running.httpUrl}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${running.httpUrl}/readyz`)).json()).toEqual({ ready: true, redis: true, subscriber: true, stream: true, epoch: TRADING_DAY });
    expect((await fetch(`${running.httpUrl}/nope`)).status).toBe(404);
    expect((await fetch(`${running.httpUrl}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('/readyz is 503 while Redis cannot be reached; /healthz still answers', async () => {
    // Nothing listens on port 1: every connection attempt is refused.
    const running = await h.startServer({}, 'redis://127.0.0.1:1');
    expect((await fetch(`${running.httpUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${running.httpUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, redis: false, stream: false });
    // A subscriber is told the list cannot be read, instead of waiting forever.
    const client = await h.connect(running);
    client.send({ action: 'subscribe_list', list: 'winners' });
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'SNAPSHOT_UNAVAILABLE', list: 'winners' });
  });

  it('/metrics exposes the server metrics on a per-server registry', async () => {
    await h.upstream.snapshot('winners', makeRows(5, h.clock.now().toISOString()));
    const one = await h.startServer();
    const two = await h.startServer();
    const client = await h.connect(one);
    await client.subscribe('winners');
    await h.upstream.priceTick('winners');
    await client.next((m) => m.type === 'delta');

    const text = await (await fetch(`${one.httpUrl}/metrics`)).text();
    for (const name of [
      'scanner_ws_connections 1',
      'scanner_ws_subscriptions{list="winners"} 1',
      'scanner_ws_messages_sent_total{type="delta"} 1',
      'scanner_ws_bytes_sent_total{type="snapshot"}',
      'scanner_ws_broadcast_duration_seconds_bucket',
      'scanner_ws_snapshot_source_total{source="redis"} 1',
      'scanner_ws_slow_consumer_actions_total{action="lagging"} 0',
      'scanner_ws_new_day_applied_total',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(text).toContain(name);
    }
    const other = await (await fetch(`${two.httpUrl}/metrics`)).text();
    expect(other).toContain('scanner_ws_connections 0');
  });
});
