import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRADING_DAY } from './support/clock.js';
import { Harness } from './support/harness.js';
import { upgradeStatus } from './support/ws-client.js';

const SECRET = 'an-hs256-secret-of-at-least-32-characters';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.upstream.announceNewDay(TRADING_DAY, { publish: false });
});
afterEach(() => h.cleanup());

/** Token times are the server's clock (the harness clock), not the machine's. */
const nowSeconds = () => Math.floor(h.clock.now().getTime() / 1000);

const hs256 = (secret: string, ttlSeconds = 300) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('trader-1')
    .setIssuedAt(nowSeconds())
    .setExpirationTime(nowSeconds() + ttlSeconds)
    .sign(new TextEncoder().encode(secret));

describe('JWT at upgrade', () => {
  it('HS256: refuses a missing, forged or expired token with 401 and accepts a good one', async () => {
    const running = await h.startServer({ JWT_SECRET: SECRET });
    expect(await upgradeStatus(running.wsUrl)).toBe(401);
    expect(await upgradeStatus(running.wsUrl, { headers: { Authorization: `Bearer ${await hs256('another-secret-that-is-32-characters-long')}` } })).toBe(401);
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(nowSeconds() - 60).sign(new TextEncoder().encode(SECRET));
    expect(await upgradeStatus(running.wsUrl, { headers: { Authorization: `Bearer ${expired}` } })).toBe(401);
    expect(await upgradeStatus(`${running.wsUrl}?token=not-a-jwt`)).toBe(401);

    const token = await hs256(SECRET);
    const viaHeader = await h.connect(running, { headers: { Authorization: `Bearer ${token}` } });
    expect(viaHeader.messages[0]).toMatchObject({ type: 'connected', epoch: TRADING_DAY });
    const viaQuery = await h.connect(running, {}, `?token=${encodeURIComponent(token)}`);
    await viaQuery.subscribe('winners');
  });

  it('closes a connection with 4001 when its token expires', async () => {
    const running = await h.startServer({ JWT_SECRET: SECRET });
    const shortLived = await hs256(SECRET, 2);
    const client = await h.connect(running, { headers: { Authorization: `Bearer ${shortLived}` } });
    await client.subscribe('winners');
    const longLived = await h.connect(running, { headers: { Authorization: `Bearer ${await hs256(SECRET)}` } });
    expect((await client.waitForClose(10_000)).code).toBe(4001);
    expect(longLived.closed).toBeNull();
    await longLived.subscribe('losers');
  });

  describe('JWKS', () => {
    let jwks: Server;
    let jwksUrl: string;
    let privateKey: CryptoKey;
    let otherKey: CryptoKey;

    beforeEach(async () => {
      const pair = await generateKeyPair('RS256');
      privateKey = pair.privateKey;
      otherKey = (await generateKeyPair('RS256')).privateKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
      jwks = createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    });
    afterEach(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

    const rs256 = (key: CryptoKey, audience = 'scanner') =>
      new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).setSubject('trader-2').setAudience(audience).setExpirationTime(nowSeconds() + 300).sign(key);

    it('refuses a missing token, a token from another key or for another audience, and accepts a good one', async () => {
      const running = await h.startServer({ JWT_JWKS_URL: jwksUrl, JWT_AUDIENCE: 'scanner' });
      expect(await upgradeStatus(running.wsUrl)).toBe(401);
      expect(await upgradeStatus(running.wsUrl, { headers: { Authorization: `Bearer ${await rs256(otherKey)}` } })).toBe(401);
      expect(await upgradeStatus(running.wsUrl, { headers: { Authorization: `Bearer ${await rs256(privateKey, 'other-app')}` } })).toBe(401);
      const client = await h.connect(running, { headers: { Authorization: `Bearer ${await rs256(privateKey)}` } });
      await client.subscribe('losers');
    });
  });
});

describe('connection limits', () => {
  it('refuses upgrades past MAX_CONNECTIONS with 503 and accepts again when a slot frees', async () => {
    const running = await h.startServer({ MAX_CONNECTIONS: '2' });
    const first = await h.connect(running);
    await h.connect(running);
    expect(await upgradeStatus(running.wsUrl)).toBe(503);
    first.close();
    await first.waitForClose();
    await expect.poll(() => upgradeStatus(running.wsUrl)).toBe(101);
  });

  it('answers 404 on another path', async () => {
    const running = await h.startServer();
    expect(await upgradeStatus(running.wsUrl.replace('/ws/scanner', '/ws/other'))).toBe(404);
  });
});
