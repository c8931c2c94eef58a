import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startClient } from './support/client.js';
import { Tap } from './support/tapped-websocket.js';
import { TRADING_DAY, World, makeRows, waitFor } from './support/world.js';

let w: World;
beforeEach(async () => {
  w = new World();
  await w.upstream.announceNewDay(TRADING_DAY, { publish: false });
  await w.upstream.snapshot('winners', makeRows(20, w.clock.now().toISOString()), { sequence: 40 });
  await w.upstream.snapshot('losers', makeRows(10, w.clock.now().toISOString(), { tag: 'L' }), { sequence: 7 });
});
afterEach(() => w.cleanup());

describe('reconnect and resume against the real server', () => {
  it('server restart: reconnects, resumes a list that did not move without a snapshot, and gets one for a list that did', async () => {
    const first = await w.startServer();
    const tap = new Tap();
    const c = startClient(w, { url: first.url, lists: ['winners', 'losers'], WebSocket: tap.WebSocket });
    await waitFor('both snapshots', () => c.client.table('winners').sequence === 40 && c.client.table('losers').sequence === 7);
    await w.upstream.priceTick('winners'); // 41
    await waitFor('41', () => c.client.table('winners').sequence === 41);

    await first.server.stop(); // closes every client with 1001
    await waitFor('reconnecting', () => c.client.state === 'reconnecting');
    await w.upstream.priceTick('losers'); // 8, while no server runs
    await w.upstream.priceTick('losers'); // 9

    const second = await w.startServer(first.port);
    expect(second.url).toBe(first.url);
    await waitFor('the losers snapshot on the new connection', () => c.client.table('losers').sequence === 9);
    const connection = tap.connections - 1;
    expect(tap.sentOn(connection).filter((f) => f.action === 'subscribe_list')).toEqual([
      { action: 'subscribe_list', list: 'winners', resume: { epoch: TRADING_DAY, sequence: 41 } },
      { action: 'subscribe_list', list: 'losers', resume: { epoch: TRADING_DAY, sequence: 7 } },
    ]);
    await waitFor('winners confirmed', () => tap.receivedOn(connection).some((f) => f.type === 'subscribed_list' && f['list'] === 'winners'));
    // Already current: the server sends no snapshot of winners, the client keeps its table.
    expect(tap.receivedOn(connection).filter((f) => f.type === 'snapshot' && f['list'] === 'winners')).toEqual([]);
    expect(c.client.table('losers').rows).toEqual(w.upstream.rowsOf('losers'));

    await w.upstream.reshuffle('winners', 'NEW1'); // 42 continues the resumed table
    await waitFor('42', () => c.client.table('winners').sequence === 42);
    expect(c.client.table('winners').rows).toEqual(w.upstream.rowsOf('winners'));
    expect(c.history('winners')).toEqual([
      ['snapshot', TRADING_DAY, 40],
      ['delta', TRADING_DAY, 41],
      ['delta', TRADING_DAY, 42],
    ]);
    expect(c.client.state).toBe('open');
    expect(c.states[0]).toBe('connecting');
    expect(c.states.slice(1)).toEqual(expect.arrayContaining(['open', 'reconnecting']));
    expect(c.states.at(-1)).toBe('open');
    expect(c.errors).toEqual([]);
  });

  it('a connection gone silent (frames stop arriving, pongs included) is dropped and replaced, and resumes', async () => {
    const running = await w.startServer();
    const tap = new Tap();
    let silent = false;
    tap.drop = (_frame, connection) => silent && connection === 0;
    const c = startClient(w, { url: running.url, WebSocket: tap.WebSocket, pingIntervalMs: 150, silenceTimeoutMs: 600 });
    await waitFor('the snapshot', () => c.client.table('winners').sequence === 40);

    silent = true;
    await w.upstream.priceTick('winners'); // 41: the server sends it, the client never sees it
    await waitFor('a second connection', () => tap.connections === 2);
    expect(c.errors).toEqual([expect.objectContaining({ code: 'SILENT_CONNECTION' })]);
    // The pings went out and the server answered them; the answers were lost.
    expect(tap.sentOn(0).filter((f) => f.action === 'ping').length).toBeGreaterThanOrEqual(3);
    expect(tap.receivedOn(0).filter((f) => f.type === 'pong').length).toBeGreaterThanOrEqual(3);

    await waitFor('41 via the new connection', () => c.client.table('winners').sequence === 41);
    expect(tap.sentOn(1)[0]).toEqual({ action: 'subscribe_list', list: 'winners', resume: { epoch: TRADING_DAY, sequence: 40 } });
    expect(c.client.table('winners').rows).toEqual(w.upstream.rowsOf('winners'));
    expect(c.client.state).toBe('open');
  });

  it('auth: a refused token is retried with a new one, and at expiry (4001) the provider is asked again', async () => {
    const secret = 'scanner-client-test-secret-0123456789abcdef';
    const running = await w.startServer(0, { JWT_SECRET: secret });
    const nowSeconds = () => Math.floor(w.clock.now().getTime() / 1000);
    const issued: string[] = [];
    const token = () => {
      const n = issued.length;
      // 1st: garbage (HTTP 401 at the upgrade); 2nd: expires in about 2 s (close 4001); then long-lived.
      const value = n === 0 ? 'not-a-jwt' : jwt(secret, { sub: 'client-test', exp: nowSeconds() + (n === 1 ? 2 : 3_600) });
      issued.push(value);
      return Promise.resolve(value);
    };
    const tap = new Tap();
    const c = startClient(w, { url: running.url, WebSocket: tap.WebSocket, token });
    await waitFor('the snapshot', () => c.client.table('winners').sequence === 40);
    await waitFor('the token to expire and a third token to be in use', () => issued.length === 3 && c.client.state === 'open', 10_000);

    expect(c.errors.map((e) => e.code)).toEqual(['UPGRADE_REFUSED', 'TOKEN_EXPIRED']);
    expect(c.errors[0]?.message).toMatch(/HTTP 401/);
    expect(tap.sockets.map((s) => new URL(s.url).searchParams.get('token'))).toEqual(issued);
    await waitFor('the resumed subscription', () => tap.receivedOn(2).some((f) => f.type === 'subscribed_list'));
    expect(tap.sentOn(2)[0]).toEqual({ action: 'subscribe_list', list: 'winners', resume: { epoch: TRADING_DAY, sequence: 40 } });
    await w.upstream.priceTick('winners');
    await waitFor('41', () => c.client.table('winners').sequence === 41);
    expect(c.client.table('winners').rows).toEqual(w.upstream.rowsOf('winners'));
  });
});

/** An HS256 JWT, as an identity provider would issue it. */
function jwt(secret: string, claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
