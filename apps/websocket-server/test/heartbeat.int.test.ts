import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRADING_DAY } from './support/clock.js';
import { Harness, metricValue } from './support/harness.js';
import { waitFor } from './support/wait.js';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.upstream.announceNewDay(TRADING_DAY, { publish: false });
});
afterEach(() => h.cleanup());

describe('protocol ping', () => {
  it('terminates a peer that stops answering pings and keeps one that answers', async () => {
    const running = await h.startServer({ PING_INTERVAL_MS: '100' });
    const alive = await h.connect(running);
    const dead = await h.connect(running);
    // A paused socket reads nothing, so the ws client never sees the ping to answer it.
    (dead.socket as unknown as { _socket: { pause(): void } })._socket.pause();

    await waitFor('the dead peer to be dropped', () => !running.server.clients().some((c) => c.id === dead.connectionId));
    expect(await metricValue(running.httpUrl, 'scanner_ws_server_closes_total', { reason: 'heartbeat_timeout' })).toBe(1);
    // The live one has been pinged several times meanwhile and is still served.
    await alive.barrier();
    expect(alive.closed).toBeNull();
    expect(running.server.clients().map((c) => c.id)).toEqual([alive.connectionId]);
  });
});
