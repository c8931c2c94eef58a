import { ManualClock } from '@scanner/market-calendar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceError, type SourceErrorCode } from '../../src/sources/market-data-source.js';
import { PolygonMarketDataSource, type PolygonSourceOptions } from '../../src/sources/polygon/polygon-source.js';
import { SyntheticMarketDataSource } from '../../src/sources/synthetic/synthetic-source.js';
import { type FakePolygonData, type FakePolygonServer, type Fault, startFakePolygonServer, syntheticPolygonData } from '../support/fake-polygon-server.js';

const DATE = '2026-11-20';
const MAX_RETRIES = 3;
const synthetic = new SyntheticMarketDataSource({ universeSize: 8, seed: 11 });
const [X, Y] = synthetic.symbols as [string, string];

let server: FakePolygonServer;
let client: PolygonMarketDataSource;
let delays: number[];
const clock = new ManualClock(new Date('2026-11-20T22:00:00Z'));

function makeClient(overrides: Partial<PolygonSourceOptions> = {}): PolygonMarketDataSource {
  return new PolygonMarketDataSource({
    apiKey: 'test-key',
    baseUrl: server.url,
    requestsPerSecond: 1000,
    concurrency: 4,
    timeoutMs: 300,
    maxRetries: MAX_RETRIES,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    // Retry waits are recorded, not slept: the test asserts the delays asked for, not elapsed time.
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    clock,
    ...overrides,
  });
}

async function startWith(data: FakePolygonData = syntheticPolygonData(synthetic), pageSize?: number): Promise<void> {
  server = await startFakePolygonServer({ data, apiKey: 'test-key', ...(pageSize ? { pageSize } : {}) });
  client = makeClient();
}

beforeEach(async () => {
  delays = [];
  await startWith();
});
afterEach(async () => {
  await client.close();
  await server.close();
});

async function rejection(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('polygon client: the real shapes', () => {
  it('reads grouped daily, 5-minute aggregates and details with float, exactly as served', async () => {
    expect(await client.dailyBars(DATE)).toEqual(await synthetic.dailyBars(DATE));
    const intraday = await client.intradayBars(DATE, synthetic.symbols);
    expect(intraday.failures).toEqual([]);
    expect(intraday.values).toEqual((await synthetic.intradayBars(DATE, synthetic.symbols)).values);
    const details = await client.tickerDetails(synthetic.symbols);
    expect(details.failures).toEqual([]);
    expect(details.values).toEqual((await synthetic.tickerDetails(synthetic.symbols)).values);
  });

  it('authenticates every request with the Bearer header and never puts the key in a URL', async () => {
    await client.intradayBars(DATE, [X, Y]);
    await client.tickerDetails([X]);
    expect(server.requests.length).toBe(4);
    for (const request of server.requests) {
      expect(request.authorization).toBe('Bearer test-key');
      expect(request.path).not.toMatch(/apiKey|test-key/i);
    }
    expect(client.stats().requests).toBe(4);
  });

  it('keeps connections alive: fewer TCP connections than requests', async () => {
    await client.intradayBars(DATE, synthetic.symbols);
    await client.tickerDetails(synthetic.symbols);
    expect(server.requests.length).toBe(24);
    expect(server.connectionCount()).toBeLessThanOrEqual(4);
  });

  it('follows next_url pages, keeping the Bearer header, and joins them in order', async () => {
    await client.close();
    await server.close();
    await startWith(syntheticPolygonData(synthetic), 50);
    const expected = (await synthetic.intradayBars(DATE, [X])).values.get(X) ?? [];
    expect(expected.length).toBeGreaterThan(150);
    const { values, failures } = await client.intradayBars(DATE, [X]);
    expect(failures).toEqual([]);
    expect(values.get(X)).toEqual(expected);
    const pages = server.requestsTo('aggs', X);
    expect(pages.length).toBe(Math.ceil(expected.length / 50));
    expect(pages[0]?.path).toContain('adjusted=true&sort=asc&limit=50000');
    expect(pages.slice(1).every((p) => p.path.includes('cursor=') && p.authorization === 'Bearer test-key')).toBe(true);
  });

  it('refuses a next_url that points away from the API, so the key never leaves', async () => {
    await client.close();
    await server.close();
    await startWith(syntheticPolygonData(synthetic), 50);
    server.nextUrlOrigin = 'http://collector.invalid:8080';
    const { values, failures } = await client.intradayBars(DATE, [X]);
    expect(values.has(X)).toBe(false);
    expect(failures).toEqual([{ symbol: X, code: 'INVALID_RESPONSE', attempts: 1, message: expect.stringContaining('refusing to send the API key to http://collector.invalid:8080') }]);
    expect(server.requestsTo('aggs', X).length).toBe(1);
  });

  it('returns an empty day as an empty array (the task judges it) and fails a missing day with NOT_FOUND', async () => {
    expect(await client.dailyBars('2026-11-26')).toEqual([]);
    server.fault('grouped', [{ kind: 'status', status: 404 }]);
    const error = await rejection(client.dailyBars(DATE));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.attempts).toBe(1);
    expect((await rejection(client.dailyBars('2026-02-30'))).code).toBe('REJECTED');
  });
});

describe('polygon client: faults retried and recovered', () => {
  const cases: Array<{ fault: Fault; reason: string; delay: number }> = [
    { fault: { kind: 'status', status: 429, retryAfter: '2' }, reason: 'rate_limited', delay: 2000 },
    { fault: { kind: 'status', status: 429 }, reason: 'rate_limited', delay: 50 },
    { fault: { kind: 'status', status: 500 }, reason: 'server_error', delay: 50 },
    { fault: { kind: 'status', status: 503, retryAfter: '1' }, reason: 'server_error', delay: 1000 },
    { fault: { kind: 'slow', delayMs: 1500 }, reason: 'timeout', delay: 50 },
    { fault: { kind: 'reset' }, reason: 'network_error', delay: 50 },
    { fault: { kind: 'truncated' }, reason: 'invalid_response', delay: 50 },
    { fault: { kind: 'malformed' }, reason: 'invalid_response', delay: 50 },
    { fault: { kind: 'wrong-shape' }, reason: 'invalid_response', delay: 50 },
  ];

  for (const { fault, reason, delay } of cases) {
    const name = fault.kind === 'status' ? `${fault.status}${fault.retryAfter ? ` with Retry-After ${fault.retryAfter}` : ''}` : fault.kind;
    it(`recovers from ${name} on one ticker's bars`, async () => {
      server.fault('aggs', [fault], X);
      const { values, failures } = await client.intradayBars(DATE, [X, Y]);
      expect(failures).toEqual([]);
      expect(values).toEqual((await synthetic.intradayBars(DATE, [X, Y])).values);
      expect(server.requestsTo('aggs', X).map((r) => r.fault)).toEqual([fault.kind, null]);
      expect(server.requestsTo('aggs', Y).length).toBe(1);
      expect(delays).toEqual([delay]);
      const stats = client.stats();
      expect(stats.requests).toBe(3);
      expect(Object.entries(stats.retries).filter(([, n]) => n > 0)).toEqual([[reason, 1]]);
      expect(Object.values(stats.failures).every((n) => n === 0)).toBe(true);
    });
  }

  it('honours a Retry-After given as an HTTP date, from the injected clock', async () => {
    const at = new Date(clock.now().getTime() + 3000).toUTCString();
    server.fault('grouped', [{ kind: 'status', status: 429, retryAfter: at }]);
    expect((await client.dailyBars(DATE)).length).toBe(8);
    expect(delays).toEqual([3000]);
  });

  it('recovers grouped daily and details/float faults too', async () => {
    server.fault('grouped', [{ kind: 'status', status: 502 }, { kind: 'truncated' }]);
    server.fault('details', [{ kind: 'reset' }], X);
    server.fault('float', [{ kind: 'status', status: 500 }], X);
    expect(await client.dailyBars(DATE)).toEqual(await synthetic.dailyBars(DATE));
    const details = await client.tickerDetails([X]);
    expect(details.failures).toEqual([]);
    expect(details.values.get(X)).toEqual((await synthetic.tickerDetails([X])).values.get(X));
    expect(server.pendingFaults()).toBe(0);
    // Two grouped retries (backoff 50 then 100), one details and one float retry (50 each).
    expect([...delays].sort((a, b) => a - b)).toEqual([50, 50, 50, 100]);
  });
});

describe('polygon client: exhausted retries', () => {
  const cases: Array<{ fault: Fault; code: SourceErrorCode; attempts: number; text: RegExp }> = [
    { fault: { kind: 'status', status: 500 }, code: 'UPSTREAM_ERROR', attempts: MAX_RETRIES + 1, text: /HTTP 500: injected 500/ },
    { fault: { kind: 'status', status: 429, retryAfter: '1' }, code: 'RATE_LIMITED', attempts: MAX_RETRIES + 1, text: /HTTP 429/ },
    { fault: { kind: 'slow', delayMs: 1500 }, code: 'TIMEOUT', attempts: MAX_RETRIES + 1, text: /no complete answer within 300 ms/ },
    { fault: { kind: 'reset' }, code: 'NETWORK_ERROR', attempts: MAX_RETRIES + 1, text: /fetch failed|terminated|socket/i },
    // A damaged body is retried twice, not maxRetries times.
    { fault: { kind: 'malformed' }, code: 'INVALID_RESPONSE', attempts: 3, text: /body is not JSON/ },
    { fault: { kind: 'wrong-shape' }, code: 'INVALID_RESPONSE', attempts: 3, text: /unexpected response shape at results/ },
  ];

  for (const { fault, code, attempts, text } of cases) {
    it(`reports ${code} for the failing ticker by name after ${attempts} attempts (${fault.kind})`, async () => {
      server.fault('aggs', Array.from({ length: 10 }, () => fault), X);
      const { values, failures } = await client.intradayBars(DATE, [X, Y]);
      expect(values.has(X)).toBe(false);
      expect(values.get(Y)).toEqual((await synthetic.intradayBars(DATE, [Y])).values.get(Y));
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ symbol: X, code, attempts });
      expect(failures[0]?.message).toContain(X);
      expect(failures[0]?.message).toContain(`${attempts} attempts`);
      expect(failures[0]?.message).toMatch(text);
      expect(server.requestsTo('aggs', X).length).toBe(attempts);
      expect(client.stats().failures[code]).toBe(1);
    });
  }

  it('backs off exponentially with full jitter between attempts', async () => {
    server.fault('aggs', Array.from({ length: 4 }, () => ({ kind: 'status', status: 500 }) as const), X);
    await client.intradayBars(DATE, [X]);
    // random() = 0.5 of a ceiling that doubles from 100 ms: 50, 100, 200.
    expect(delays).toEqual([50, 100, 200]);
  });

  it('caps a long Retry-After at the configured maximum', async () => {
    await client.close();
    client = makeClient({ maxRetryAfterMs: 5000 });
    server.fault('aggs', [{ kind: 'status', status: 429, retryAfter: '3600' }], X);
    expect((await client.intradayBars(DATE, [X])).failures).toEqual([]);
    expect(delays).toEqual([5000]);
  });

  it('throws for the whole day when grouped daily keeps failing', async () => {
    server.fault('grouped', Array.from({ length: 4 }, () => ({ kind: 'status', status: 503 }) as const));
    const error = await rejection(client.dailyBars(DATE));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.attempts).toBe(4);
    expect(error.message).toContain('/v2/aggs/grouped/locale/us/market/stocks/2026-11-20');
  });

  it('keeps the API key out of the error when the answer repeats it', async () => {
    const echo = `GET /v2/aggs/grouped/locale/us/market/stocks/${DATE}?apiKey=test-key (authorization: Bearer test-key)`;
    server.fault('grouped', Array.from({ length: 4 }, () => ({ kind: 'status', status: 500, body: JSON.stringify({ status: 'ERROR', error: echo }) }) as const));
    const error = await rejection(client.dailyBars(DATE));
    expect(error.message).toContain('apiKey=[redacted] (authorization: Bearer [redacted])');
    expect(error.message).not.toContain('test-key');
  });
});

describe('polygon client: not retried', () => {
  for (const status of [401, 403, 400]) {
    it(`fails ${status} at once as REJECTED`, async () => {
      server.fault('details', [{ kind: 'status', status, body: JSON.stringify({ status: 'ERROR', error: 'not entitled to this data' }) }], X);
      const { values, failures } = await client.tickerDetails([X, Y]);
      expect(failures).toEqual([{ symbol: X, code: 'REJECTED', attempts: 1, message: expect.stringContaining(`HTTP ${status}: not entitled to this data (1 attempt)`) }]);
      expect(values.has(Y)).toBe(true);
      expect(server.requestsTo('details', X).length).toBe(1);
      expect(delays).toEqual([]);
    });
  }

  it('rejects every ticker with a wrong API key, one request each', async () => {
    await client.close();
    client = makeClient({ apiKey: 'wrong-key' });
    const { values, failures } = await client.intradayBars(DATE, [X, Y]);
    expect(values.size).toBe(0);
    expect(failures.map((f) => [f.symbol, f.code, f.attempts])).toEqual([
      [X, 'REJECTED', 1],
      [Y, 'REJECTED', 1],
    ]);
    expect(failures[0]?.message).toContain('Unknown API Key');
    expect(server.requests.length).toBe(2);
  });

  it('reports an unknown ticker as NOT_FOUND and a missing float as null, not a failure', async () => {
    await client.close();
    await server.close();
    const base = syntheticPolygonData(synthetic);
    await startWith({ ...base, float: async (symbol) => (symbol === X ? null : base.float(symbol)) });
    const { values, failures } = await client.tickerDetails([X, 'ZZZZZ']);
    expect(values.get(X)?.floatShares).toBeNull();
    expect(values.get(X)?.sharesOutstanding).toBeGreaterThan(0);
    expect(failures).toEqual([{ symbol: 'ZZZZZ', code: 'NOT_FOUND', attempts: 1, message: expect.stringContaining('Ticker not found.') }]);
  });

  it('fails a ticker whose float request keeps failing, saying so', async () => {
    server.fault('float', Array.from({ length: 4 }, () => ({ kind: 'status', status: 500 }) as const), X);
    const { values, failures } = await client.tickerDetails([X, Y]);
    expect(values.has(X)).toBe(false);
    expect(failures).toEqual([{ symbol: X, code: 'UPSTREAM_ERROR', attempts: 4, message: expect.stringMatching(/float: GET \/stocks\/vX\/float: HTTP 500/) }]);
  });

  it('does not call the float endpoint when it is disabled', async () => {
    await client.close();
    client = makeClient({ floatEnabled: false });
    const { values } = await client.tickerDetails([X]);
    expect(values.get(X)?.floatShares).toBeNull();
    expect(server.requestsTo('float').length).toBe(0);
  });
});

describe('polygon client: limits', () => {
  it('never has more requests in flight than the concurrency limit', async () => {
    const big = new SyntheticMarketDataSource({ universeSize: 15, seed: 11 });
    await client.close();
    await server.close();
    // Each answer takes 25 ms, so requests overlap whenever the client lets them.
    server = await startFakePolygonServer({ data: syntheticPolygonData(big), apiKey: 'test-key', latencyMs: 25 });
    client = makeClient({ concurrency: 3 });
    const { values, failures } = await client.intradayBars(DATE, big.symbols);
    expect(failures).toEqual([]);
    expect(values.size).toBe(15);
    expect(server.maxInFlight).toBeLessThanOrEqual(3);
    expect(server.maxInFlight).toBeGreaterThanOrEqual(2);
  });

  it('keeps to the request rate: no more than N requests in any one-second window', async () => {
    await client.close();
    client = makeClient({ requestsPerSecond: 5, concurrency: 8 });
    const { failures } = await client.intradayBars(DATE, synthetic.symbols);
    expect(failures).toEqual([]);
    const arrivals = server.arrivals;
    expect(arrivals.length).toBe(8);
    // Slack for network jitter: 900 ms windows. A slower machine only spreads requests further apart.
    for (let i = 0; i < arrivals.length; i++) {
      const inWindow = arrivals.filter((t) => t >= (arrivals[i] as number) && t < (arrivals[i] as number) + 900).length;
      expect(inWindow).toBeLessThanOrEqual(5);
    }
  });

  it('refuses to be used after close(), without sending anything', async () => {
    await client.close();
    await expect(client.dailyBars(DATE)).rejects.toThrow('polygon client used after close()');
    expect(server.requests.length).toBe(0);
    await client.close();
  });

  it('refuses nonsense options at construction', () => {
    expect(() => makeClient({ apiKey: ' ' })).toThrow(/apiKey is empty/);
    expect(() => makeClient({ requestsPerSecond: 0 })).toThrow(/requestsPerSecond/);
    expect(() => makeClient({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => makeClient({ baseUrl: 'ftp://x' })).toThrow(/baseUrl/);
  });
});
