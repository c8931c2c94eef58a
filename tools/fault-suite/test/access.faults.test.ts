import { randomBytes } from 'node:crypto';
import { SyntheticMarketDataSource } from '@scanner/data-maintenance';
import { type FakePolygonServer, startFakePolygonServer, syntheticPolygonData } from '@scanner/data-maintenance/testing/fake-polygon-server';
import { type TestDatabase, TEST_DATABASE_URL, createTestDatabase } from '@scanner/data-maintenance/testing/test-database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedLogs } from '../src/log-capture.js';
import { scrapeMetric } from '../src/metrics-scrape.js';
import { REDIS_URL, type RunningServer, ServerWorld } from '../src/server-world.js';
import { waitFor } from '../src/wait-until.js';
import { RawWsConnection } from '../src/ws-raw-framer-socket.js';
import { type ServiceProcess, spawnService } from './access-service.js';
import { signJwt, withClaims } from './access-tokens.js';
import { WAIT_MS, WsClient } from './well-behaved-client.js';

/**
 * Scenario 7: access. The WebSocket upgrade lets in only a valid JWT, /api/clear-cache and the
 * maintenance control port's POST /trigger only their bearer tokens, and no secret (the JWT key, the
 * tokens, the database password, the Polygon key) reaches a log line, whether a request is refused,
 * accepted, carries its token in a header or a query string, or fails upstream.
 */

/** Friday 2026-11-20, 18:00 New York: after the close, the day's cycle is due. */
const NOW = '2026-11-20T23:00:00.000Z';
const DATE = '2026-11-20';
const ISSUER = 'https://auth.scanner.test';
const AUDIENCE = 'scanner-ws';
const MAX_CONNECTIONS = 4;

/** Each secret unique to this run, of URL- and JSON-safe characters, so a match in the logs is exact. */
const secret = (name: string) => `${name}-${randomBytes(18).toString('hex')}`;
const JWT_SECRET = secret('jwt-secret');
const CLEAR_CACHE_TOKEN = secret('clear-cache-token');
const CONTROL_TOKEN = secret('control-token');
const DB_PASSWORD = secret('db-password');
const POLYGON_API_KEY = secret('polygon-key');
const OTHER_KEY = secret('not-the-jwt-secret');
/** Every JWT the test sends: none of them may be logged either, valid or not. */
const tokensSent: string[] = [];

const measured: Record<string, unknown> = {};
let world: ServerWorld;
let prefix: string;
let logs: CapturedLogs;
let running: RunningServer;
let nowSeconds: () => number;

beforeAll(async () => {
  world = new ServerWorld(NOW);
  prefix = world.prefix;
  nowSeconds = () => Math.floor(world.clock.now().getTime() / 1000);
  running = await world.startServer({
    env: { JWT_SECRET, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, CLEAR_CACHE_TOKEN, MAX_CONNECTIONS: String(MAX_CONNECTIONS), LOG_LEVEL: 'trace' },
  });
  logs = running.logs;
});

afterAll(async () => {
  await world?.cleanup();
  process.stdout.write(`[access] ${JSON.stringify(measured)}\n`);
});

const claims = (extra: Record<string, unknown> = {}) => ({ sub: 'trader-7', iss: ISSUER, aud: AUDIENCE, iat: nowSeconds(), exp: nowSeconds() + 300, ...extra });
const token = (parts: Parameters<typeof signJwt>[0]) => {
  const jwt = signJwt(parts);
  tokensSent.push(jwt);
  return jwt;
};

async function upgrade(query: string, headers: Record<string, string> = {}): Promise<{ status: number; code?: string; wwwAuthenticate?: string }> {
  const result = await RawWsConnection.open(`${running.wsUrl}${query}`, { headers });
  if (result.kind === 'open') {
    result.destroy();
    return { status: 101 };
  }
  const body = JSON.parse(result.body) as { code?: string };
  return { status: result.status, ...(body.code === undefined ? {} : { code: body.code }), ...(result.headers['www-authenticate'] === undefined ? {} : { wwwAuthenticate: result.headers['www-authenticate'] }) };
}

describe('scenario 7: access', () => {
  it('refuses every missing, expired, forged, unsigned or misaddressed JWT at the upgrade with 401 UNAUTHENTICATED, and lets a valid one in', async () => {
    const good = token({ key: JWT_SECRET, claims: claims() });
    const refusedCases: Array<[string, string, Record<string, string>]> = [
      ['no token', '', {}],
      ['not a bearer header', '', { Authorization: `Basic ${Buffer.from(`user:${JWT_SECRET}`).toString('base64')}` }],
      ['an empty query token', '?token=', {}],
      ['not a JWT', '?token=not-a-jwt', {}],
      ['expired', '', { Authorization: `Bearer ${token({ key: JWT_SECRET, claims: claims({ iat: nowSeconds() - 600, exp: nowSeconds() - 60 }) })}` }],
      ['signed with another key', '', { Authorization: `Bearer ${token({ key: OTHER_KEY, claims: claims() })}` }],
      ['alg none, no signature', '', { Authorization: `Bearer ${token({ header: { alg: 'none', typ: 'JWT' }, key: null, claims: claims() })}` }],
      ['alg none, in the query', `?token=${token({ header: { alg: 'none' }, key: null, claims: claims() })}`, {}],
      ['alg none with a valid HMAC signature', '', { Authorization: `Bearer ${token({ header: { alg: 'none' }, key: JWT_SECRET, claims: claims() })}` }],
      ['HS512 with the right key', '', { Authorization: `Bearer ${token({ header: { alg: 'HS512', typ: 'JWT' }, key: JWT_SECRET, hash: 'sha512', claims: claims() })}` }],
      ['claims edited after signing', '', { Authorization: `Bearer ${withClaims(good, claims({ sub: 'admin', exp: nowSeconds() + 86_400 }))}` }],
      ['wrong issuer', '', { Authorization: `Bearer ${token({ key: JWT_SECRET, claims: claims({ iss: 'https://evil.test' }) })}` }],
      ['no issuer', '', { Authorization: `Bearer ${token({ key: JWT_SECRET, claims: { sub: 'x', aud: AUDIENCE, exp: nowSeconds() + 300 } })}` }],
      ['wrong audience', '', { Authorization: `Bearer ${token({ key: JWT_SECRET, claims: claims({ aud: 'other-app' }) })}` }],
      ['no audience', '', { Authorization: `Bearer ${token({ key: JWT_SECRET, claims: { sub: 'x', iss: ISSUER, exp: nowSeconds() + 300 } })}` }],
      ['not yet valid', '', { Authorization: `Bearer ${token({ key: JWT_SECRET, claims: claims({ nbf: nowSeconds() + 600 }) })}` }],
      ['a forged header wins over a good query token', `?token=${good}`, { Authorization: `Bearer ${token({ key: OTHER_KEY, claims: claims() })}` }],
    ];
    // One at a time: a token being verified holds a connection slot, so a burst of them meets the cap (below).
    const outcomes: Array<readonly [string, Awaited<ReturnType<typeof upgrade>>]> = [];
    for (const [name, query, headers] of refusedCases) outcomes.push([name, await upgrade(query, headers)]);
    for (const [name, outcome] of outcomes) expect(outcome, name).toEqual({ status: 401, code: 'UNAUTHENTICATED', wwwAuthenticate: 'Bearer' });
    const forged = token({ key: OTHER_KEY, claims: claims() });
    const burst = await Promise.all(Array.from({ length: 20 }, () => upgrade('', { Authorization: `Bearer ${forged}` })));
    expect(burst.filter((b) => b.status === 401).length).toBeGreaterThan(0);
    expect(burst.filter((b) => !(b.status === 401 && b.code === 'UNAUTHENTICATED') && !(b.status === 503 && b.code === 'TOO_MANY_CONNECTIONS'))).toEqual([]);

    // Verification failures must not leak a slot: the cap still admits exactly MAX_CONNECTIONS valid clients.
    const clients = [
      await WsClient.connect(running.wsUrl, { headers: { Authorization: `Bearer ${good}` } }),
      await WsClient.connect(`${running.wsUrl}?token=${good}`),
      await WsClient.connect(`${running.wsUrl}?token=not-a-jwt`, { headers: { Authorization: `Bearer ${good}` } }),
      await WsClient.connect(`${running.wsUrl}?token=${token({ key: JWT_SECRET, claims: claims({ sub: 'trader-8' }) })}`),
    ];
    expect((await upgrade('', { Authorization: `Bearer ${good}` })).status).toBe(503);
    for (const client of clients) {
      client.send({ action: 'ping' });
      await client.next((m) => m.type === 'pong');
    }
    for (const client of clients) client.close();
    await waitFor('the clients to be gone', () => running.server.clients().length === 0, WAIT_MS);
    const burstRefused = burst.filter((b) => b.status === 401).length;
    expect(await scrapeMetric(running.httpUrl, 'scanner_ws_upgrades_refused_total', { reason: 'invalid_token' })).toBe(outcomes.length - 3 + burstRefused);
    expect(await scrapeMetric(running.httpUrl, 'scanner_ws_upgrades_refused_total', { reason: 'missing_token' })).toBe(3);
    measured['jwt'] = { refused401: outcomes.length, burst: { sent: burst.length, refused401: burstRefused, refused503: burst.length - burstRefused }, accepted: clients.length };
  });

  it('/api/clear-cache refuses a missing or wrong bearer token with 401 UNAUTHORIZED and accepts the right one', async () => {
    const post = (headers: Record<string, string>, query = '') =>
      fetch(`${running.httpUrl}/api/clear-cache${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ reason: 'access test' }) });
    const refused = [
      await post({}),
      await post({ Authorization: `Bearer ${secret('wrong')}` }),
      await post({ Authorization: `Bearer ${CLEAR_CACHE_TOKEN.slice(0, -1)}` }),
      await post({ Authorization: `Bearer ${CLEAR_CACHE_TOKEN}x` }),
      await post({ Authorization: `Basic ${CLEAR_CACHE_TOKEN}` }),
      await post({}, `?token=${CLEAR_CACHE_TOKEN}`),
    ];
    for (const response of refused) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    }
    const accepted = await post({ Authorization: `Bearer ${CLEAR_CACHE_TOKEN}` }, `?token=${CLEAR_CACHE_TOKEN}&apiKey=${POLYGON_API_KEY}`);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ result: expect.any(String) });
    expect(logs.lines().filter((l) => l['event'] === 'clear_cache_unauthorized')).toHaveLength(refused.length);
    measured['clearCache'] = { refused401: refused.length, accepted: 1 };
  });

  describe('the maintenance service (its own process, real PostgreSQL and Redis, a fake Polygon)', () => {
    let db: TestDatabase;
    let polygon: FakePolygonServer;
    let service: ServiceProcess;
    let unreachable: ServiceProcess;

    /** A failure body that repeats the request, key and all, as some gateways do. */
    const echoingFailure = (status: number) => ({
      kind: 'status' as const,
      status,
      ...(status === 429 ? { retryAfter: '0' } : {}),
      body: JSON.stringify({ status: 'ERROR', error: `upstream failed: GET /v2/aggs/grouped/locale/us/market/stocks/${DATE}?adjusted=true&apiKey=${POLYGON_API_KEY} (authorization: Bearer ${POLYGON_API_KEY})` }),
    });

    beforeAll(async () => {
      db = await createTestDatabase();
      polygon = await startFakePolygonServer({ data: syntheticPolygonData(new SyntheticMarketDataSource({ universeSize: 4, seed: 7 })), apiKey: POLYGON_API_KEY });
      // Two attempts each (POLYGON_MAX_RETRIES=1): the start's catch-up run ends on a 500, the triggered one on a 429.
      polygon.fault('grouped', [echoingFailure(429), echoingFailure(500), echoingFailure(500), echoingFailure(429)]);
      const url = new URL(TEST_DATABASE_URL);
      url.password = DB_PASSWORD;
      const env = {
        DATABASE_URL: url.toString(),
        PGSCHEMA: db.schema,
        REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        MARKET_DATA_SOURCE: 'polygon',
        POLYGON_API_KEY,
        POLYGON_BASE_URL: polygon.url,
        POLYGON_RPS: '1000',
        POLYGON_CONCURRENCY: '2',
        POLYGON_MAX_RETRIES: '1',
        LOG_LEVEL: 'trace',
        CONTROL_PORT: '0',
        CONTROL_TOKEN,
        CLEAR_CACHE_TOKEN,
        WEBSOCKET_CLEAR_CACHE_URL: `${running.httpUrl}/api/clear-cache`,
        CATCH_UP_SESSIONS: '1',
        CATCH_UP_INTERVAL_MS: '600000',
        HEALTH_CHECK_INTERVAL_MS: '600000',
        MAINTENANCE_LOCK_LEASE_MS: '2000',
        SHUTDOWN_GRACE_MS: '5000',
      };
      service = spawnService(env, NOW);
      // The same configuration with PostgreSQL unreachable: the start fails, naming the URL.
      const dead = new URL(url);
      dead.port = '1';
      unreachable = spawnService({ ...env, DATABASE_URL: dead.toString() }, NOW);
    }, 60_000);

    afterAll(async () => {
      for (const p of [service, unreachable]) if (p !== undefined && p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await polygon?.close();
      await db?.drop();
    });

    it('POST /trigger refuses a missing or wrong token with 401 UNAUTHORIZED and accepts the right one', async () => {
      const listening = await waitFor('the control port', () => service.events().find((e) => e['event'] === 'control_server_listening'), 60_000);
      const control = String(listening['url']);
      // The start's catch-up runs the day first (and fails on Polygon's 429/500): the trigger then finds the lock free.
      await waitFor('the catch-up pass', () => service.events().some((e) => e['event'] === 'catch_up_finished'), 30_000);

      const trigger = (headers: Record<string, string>, query = '') =>
        fetch(`${control}/trigger${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ date: DATE }) });
      const refused = [
        await trigger({}),
        await trigger({ Authorization: `Bearer ${secret('wrong')}` }),
        await trigger({ Authorization: `Bearer ${CONTROL_TOKEN.slice(1)}` }),
        await trigger({ Authorization: `Bearer ${CLEAR_CACHE_TOKEN}` }),
        await trigger({ Authorization: `Token ${CONTROL_TOKEN}` }),
        await trigger({}, `?token=${CONTROL_TOKEN}`),
      ];
      for (const response of refused) {
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
      }
      const accepted = await trigger({ Authorization: `Bearer ${CONTROL_TOKEN}` }, `?token=${CONTROL_TOKEN}`);
      expect(accepted.status).toBe(202);
      expect(await accepted.json()).toMatchObject({ accepted: true, date: DATE });
      const dailyRuns = () => service.events().filter((e) => e['job'] === 'daily_maintenance' && (e['event'] === 'job_finished' || e['event'] === 'job_failed'));
      await waitFor('the triggered run to end', () => dailyRuns().length >= 2, 30_000);
      expect(dailyRuns().map((e) => e['status'] ?? 'failed')).toEqual(['failed', 'failed']);
      expect(polygon.pendingFaults()).toBe(0);
      const status = await (await fetch(`${control}/status`)).text();
      expect(status).not.toContain(POLYGON_API_KEY);

      service.child.kill('SIGTERM');
      expect((await service.exited).code).toBe(0);
      expect(service.events().filter((e) => e['event'] === 'control_trigger_unauthorized')).toHaveLength(refused.length);
      measured['trigger'] = { refused401: refused.length, accepted202: 1, polygonRequests: polygon.requests.length };
    });

    it('writes no secret to any log: ws refusals and acceptances, the service start, control refusals, Polygon failures, an unreachable database', async () => {
      const failedStart = await unreachable.exited;
      expect(failedStart.code).not.toBe(0);
      expect(unreachable.output()).toContain('DATABASE_UNAVAILABLE');

      const ws = logs.text();
      const maintenance = `${service.output()}\n${unreachable.output()}`;
      // The logs hold what the secrets would have leaked through, or their absence would prove nothing.
      expect(logs.lines().filter((l) => l['event'] === 'upgrade_token_refused').length).toBeGreaterThan(10);
      expect(logs.lines().some((l) => l['event'] === 'clear_cache_requested')).toBe(true);
      const events = service.events();
      expect(events.find((e) => e['event'] === 'service_starting')).toMatchObject({ source: { kind: 'polygon', apiKey: '[redacted]' } });
      expect(events.some((e) => e['event'] === 'control_trigger_accepted')).toBe(true);
      expect(maintenance).toContain('HTTP 500');
      expect(maintenance).toContain('HTTP 429');
      expect(maintenance).toMatch(/cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@/);

      const secrets = { JWT_SECRET, CLEAR_CACHE_TOKEN, CONTROL_TOKEN, DB_PASSWORD, POLYGON_API_KEY };
      const leaks: string[] = [];
      for (const [name, value] of Object.entries(secrets)) {
        if (ws.includes(value)) leaks.push(`${name} in the WebSocket server's log`);
        if (maintenance.includes(value)) leaks.push(`${name} in the maintenance service's output`);
      }
      for (const jwt of tokensSent) {
        const signature = jwt.split('.')[2] ?? '';
        if (ws.includes(jwt) || (signature.length > 0 && ws.includes(signature))) leaks.push(`a JWT in the WebSocket server's log: ${jwt.slice(0, 24)}...`);
      }
      expect(leaks).toEqual([]);
      measured['logs'] = { wsLines: logs.lines().length, maintenanceLines: events.length, jwtsChecked: tokensSent.length };
    });
  });
});
