import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRADING_DAY } from './support/clock.js';
import { Harness, type RunningServer, metricValue } from './support/harness.js';
import { makeRows } from './support/upstream.js';
import type { TestClient } from './support/ws-client.js';

let h: Harness;
let running: RunningServer;
let bystander: TestClient;

beforeEach(async () => {
  h = new Harness();
  await h.upstream.announceNewDay(TRADING_DAY, { publish: false });
  await h.upstream.snapshot('winners', makeRows(10, h.clock.now().toISOString()));
  running = await h.startServer({ MAX_SUBSCRIPTIONS_PER_CONNECTION: '2' });
  bystander = await h.connect(running);
  await bystander.subscribe('winners');
});
afterEach(() => h.cleanup());

/** The bystander still gets every delta and the server still answers: bad input hurt nobody else. */
async function expectUnaffected(): Promise<void> {
  const sequence = await h.upstream.priceTick('winners');
  await bystander.next((m) => m.type === 'delta' && m['sequence'] === sequence);
  expect(bystander.rebuild('winners').rows).toEqual(h.upstream.rowsOf('winners'));
  expect(bystander.errors()).toEqual([]);
  expect(bystander.closed).toBeNull();
  expect((await fetch(`${running.httpUrl}/readyz`)).status).toBe(200);
}

async function errorFor(client: TestClient, frame: unknown) {
  const from = client.messages.length;
  client.send(frame);
  return client.next((m) => m.type === 'error', { from });
}

describe('bad input', () => {
  it('answers each malformed message with its error code and keeps the connection', async () => {
    const client = await h.connect(running);
    expect(await errorFor(client, '{"action": "subscribe_list", ')).toMatchObject({ code: 'INVALID_JSON' });
    expect(await errorFor(client, { action: 'launch_rockets' })).toMatchObject({ code: 'UNKNOWN_ACTION' });
    expect(await errorFor(client, { action: 'subscribe_list', list: 'all_stocks' })).toMatchObject({ code: 'UNKNOWN_LIST', list: 'all_stocks' });
    expect(await errorFor(client, { action: 'subscribe_list' })).toMatchObject({ code: 'INVALID_MESSAGE' });
    expect(await errorFor(client, [1, 2, 3])).toMatchObject({ code: 'INVALID_MESSAGE' });
    expect(await errorFor(client, { action: 'unsubscribe_list', list: 'losers' })).toMatchObject({ code: 'NOT_SUBSCRIBED', list: 'losers' });
    expect(await errorFor(client, { action: 'resync', list: 'losers' })).toMatchObject({ code: 'NOT_SUBSCRIBED' });

    const from = client.messages.length;
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.next((m) => m.type === 'error', { from })).toMatchObject({ code: 'INVALID_MESSAGE' });

    await client.subscribe('winners');
    await client.subscribe('losers');
    expect(await errorFor(client, { action: 'subscribe_list', list: 'gappers_up' })).toMatchObject({ code: 'TOO_MANY_SUBSCRIPTIONS', list: 'gappers_up' });
    // The connection still works after all of it.
    await client.barrier();
    expect(client.closed).toBeNull();
    expect(await metricValue(running.httpUrl, 'scanner_ws_client_errors_total', { code: 'UNKNOWN_LIST' })).toBe(1);
    await expectUnaffected();
  });

  it('closes an oversized frame with 1009', async () => {
    const client = await h.connect(running);
    client.send({ action: 'subscribe_list', list: 'winners', padding: 'x'.repeat(5000) });
    expect((await client.waitForClose()).code).toBe(1009);
    await expectUnaffected();
  });

  it('answers a subscribe flood with RATE_LIMITED, then closes it with 4029', async () => {
    const strict = await h.startServer({ MESSAGE_RATE_PER_SECOND: '5', MESSAGE_RATE_BURST: '10', RATE_LIMIT_MAX_VIOLATIONS: '5' });
    const neighbour = await h.connect(strict);
    await neighbour.subscribe('winners');
    const client = await h.connect(strict);
    for (let i = 0; i < 40; i++) client.send({ action: 'subscribe_list', list: 'winners' });
    await client.next((m) => m.type === 'error' && m['code'] === 'RATE_LIMITED');
    expect((await client.waitForClose()).code).toBe(4029);
    expect(client.errors().filter((m) => m['code'] === 'RATE_LIMITED')).toHaveLength(4);
    await expectUnaffected();
    await neighbour.next((m) => m.type === 'delta');
    expect(neighbour.closed).toBeNull();
  });

  it('skips a garbage stream entry, counts it, and keeps delivering', async () => {
    await h.upstream.garbageEntry(['type', 'delta', 'list', 'winners', 'sequence', 'two']);
    await h.upstream.garbageEntry(['type', 'explode', 'list', 'winners']);
    await h.upstream.garbageEntry([
      'type', 'delta', 'list', 'winners', 'sequence', '2', 'deltas', '{not json',
      'timestamp', h.clock.now().toISOString(), 'change_count', '1',
    ]);
    await expectUnaffected();
    expect(await metricValue(running.httpUrl, 'scanner_ws_stream_entries_invalid_total')).toBe(3);
    expect(await metricValue(running.httpUrl, 'scanner_ws_stream_entries_invalid_total', { code: 'UNKNOWN_TYPE' })).toBe(1);
    expect(bystander.listMessages('winners').map((m) => m['sequence'])).toEqual([1, 2]);
  });

  it('refuses a text frame over the protocol limit with FRAME_TOO_LARGE when the socket limit is higher', async () => {
    const roomy = await h.startServer({ MAX_PAYLOAD_BYTES: '16384' });
    const client = await h.connect(roomy);
    expect(await errorFor(client, { action: 'ping', padding: 'x'.repeat(5000) })).toMatchObject({ code: 'FRAME_TOO_LARGE' });
    await client.barrier();
    expect(client.closed).toBeNull();
  });
});
