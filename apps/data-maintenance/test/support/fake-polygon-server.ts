import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import type { DailyBar, IntradayBar, TickerDetails } from '../../src/sources/market-data-source.js';
import type { SyntheticMarketDataSource } from '../../src/sources/synthetic/synthetic-source.js';

/**
 * A real HTTP server on 127.0.0.1 (port 0) that answers like the Polygon/Massive REST API, with the
 * real JSON shapes: grouped daily, 5-minute aggregates with `next_url` pagination, ticker details and
 * float. It checks Bearer auth as the API does (401 without the right key), records every request,
 * counts requests in flight, and plays a per-route script of faults: 429 with Retry-After, 5xx,
 * slow answers, truncated or malformed JSON, a wrong shape, a reset connection.
 */

export type RouteName = 'grouped' | 'aggs' | 'details' | 'float';

export type Fault =
  /** Answer with this status (and Retry-After, and a body: by default Polygon's error JSON). */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly body?: string }
  /** Hold the answer this long, then answer normally (if the client is still there). */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** 200 with the first half of the real body, then end the response. */
  | { readonly kind: 'truncated' }
  /** 200 with a body that is not JSON. */
  | { readonly kind: 'malformed' }
  /** 200 with JSON of the wrong shape. */
  | { readonly kind: 'wrong-shape' }
  /** Destroy the socket without answering. */
  | { readonly kind: 'reset' };

export interface RecordedRequest {
  readonly route: RouteName | 'unknown';
  /** Symbol (aggs, details, float) or date (grouped). */
  readonly key: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly fault: Fault['kind'] | null;
  /** Which TCP connection carried it, to see keep-alive at work. */
  readonly connection: number;
}

/** Where the server's answers come from. Details null = 404 (unknown ticker); float null = no results; no bars = resultsCount 0, as the API answers. */
export interface FakePolygonData {
  grouped(date: string): Promise<DailyBar[]>;
  aggs(symbol: string, date: string): Promise<IntradayBar[]>;
  details(symbol: string): Promise<TickerDetails | null>;
  float(symbol: string): Promise<number | null>;
}

export interface FakePolygonOptions {
  readonly data: FakePolygonData;
  readonly apiKey?: string;
  /** Aggregates per page before a `next_url` (the API's `limit`, here forced smaller to test paging). */
  readonly pageSize?: number;
  /** Added before every normal answer, so concurrent requests overlap measurably. */
  readonly latencyMs?: number;
}

interface ScriptEntry {
  readonly route: RouteName;
  readonly key: string | undefined;
  readonly faults: Fault[];
}

export class FakePolygonServer {
  readonly requests: RecordedRequest[] = [];
  url = '';
  apiKey: string;
  pageSize: number;
  latencyMs: number;
  inFlight = 0;
  maxInFlight = 0;
  /** Origin written into `next_url` (default: this server); a test points it elsewhere. */
  nextUrlOrigin: string | null = null;
  /** performance.now() of each request's arrival, in order. */
  readonly arrivals: number[] = [];
  private readonly server: Server;
  private readonly script: ScriptEntry[] = [];
  private readonly sockets = new Map<Socket, number>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: FakePolygonOptions) {
    this.apiKey = options.apiKey ?? 'test-key';
    this.pageSize = options.pageSize ?? 50_000;
    this.latencyMs = options.latencyMs ?? 0;
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'ERROR', error: `fake server bug: ${(error as Error).message}` }));
        }
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.set(socket, this.sockets.size + 1);
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Queues faults for a route (and optionally one symbol/date); each matching request takes the next one. */
  fault(route: RouteName, faults: readonly Fault[], key?: string): void {
    this.script.push({ route, key, faults: [...faults] });
  }

  /** Requests of a route, optionally for one key. */
  requestsTo(route: RouteName, key?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route && (key === undefined || r.key === key));
  }

  /** Faults still queued (a test that expects them all consumed checks this is 0). */
  pendingFaults(): number {
    return this.script.reduce((n, entry) => n + entry.faults.length, 0);
  }

  connectionCount(): number {
    return new Set(this.requests.map((r) => r.connection)).size;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextFault(route: RouteName, key: string): Fault | null {
    for (const entry of this.script) {
      if (entry.route === route && (entry.key === undefined || entry.key === key) && entry.faults.length > 0) return entry.faults.shift() ?? null;
    }
    return null;
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.arrivals.push(performance.now());
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => {
      this.inFlight -= 1;
    });
    const url = new URL(req.url ?? '/', this.url);
    const { route, key } = routeOf(url);
    const fault = route === 'unknown' ? null : this.nextFault(route, key);
    this.requests.push({
      route,
      key,
      path: `${url.pathname}${url.search}`,
      authorization: req.headers.authorization,
      fault: fault?.kind ?? null,
      connection: this.sockets.get(req.socket) ?? 0,
    });

    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.status, headers);
      res.end(fault.body ?? JSON.stringify({ status: 'ERROR', request_id: requestId(), error: `injected ${fault.status}` }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      send(res, 401, { status: 'ERROR', request_id: requestId(), error: 'Unknown API Key' });
      return;
    }
    if (fault?.kind === 'slow') await this.wait(fault.delayMs);
    else if (this.latencyMs > 0) await this.wait(this.latencyMs);
    if (res.destroyed) return;

    const answer = route === 'unknown' ? { status: 404, body: { status: 'NOT_FOUND', message: 'Route not found.' } } : await this.answer(route, key, url);
    if (fault?.kind === 'truncated') {
      const text = JSON.stringify(answer.body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      res.end();
      return;
    }
    if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"OK","results":[{"T":"A","o":1,}]');
      return;
    }
    if (fault?.kind === 'wrong-shape') {
      send(res, 200, { status: 'OK', request_id: requestId(), results: 'not what you expected' });
      return;
    }
    send(res, answer.status, answer.body);
  }

  private async answer(route: RouteName, key: string, url: URL): Promise<{ status: number; body: unknown }> {
    const data = this.options.data;
    switch (route) {
      case 'grouped': {
        const bars = await data.grouped(key);
        const closeMs = isTradingDate(key) ? newYorkInstant(key, 16, 0).getTime() : 0;
        const results = bars.map((b) => ({ T: b.symbol, v: b.volume, ...(b.vwap === null ? {} : { vw: b.vwap }), o: b.open, c: b.close, h: b.high, l: b.low, t: closeMs, ...(b.trades === null ? {} : { n: b.trades }) }));
        return { status: 200, body: { queryCount: results.length, resultsCount: results.length, adjusted: true, ...(results.length ? { results } : {}), status: 'OK', request_id: requestId() } };
      }
      case 'aggs': {
        const date = url.pathname.split('/')[8] ?? '';
        const all = await data.aggs(key, date);
        const cursor = url.searchParams.get('cursor');
        const offset = cursor === null ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8'));
        const page = all.slice(offset, offset + this.pageSize);
        const results = page.map((b) => ({ v: b.volume, vw: Math.round(((b.high + b.low + b.close) / 3) * 10_000) / 10_000, o: b.open, c: b.close, h: b.high, l: b.low, t: b.startMs, n: Math.max(1, Math.round(b.volume / 100)) }));
        const more = offset + page.length < all.length;
        const nextUrl = `${this.nextUrlOrigin ?? this.url}/v2/aggs/ticker/${encodeURIComponent(key)}/range/5/minute/${date}/${date}?cursor=${Buffer.from(String(offset + page.length)).toString('base64url')}`;
        return {
          status: 200,
          body: {
            ticker: key,
            queryCount: results.length,
            resultsCount: results.length,
            adjusted: true,
            ...(results.length ? { results } : {}),
            status: 'OK',
            request_id: requestId(),
            count: results.length,
            ...(more ? { next_url: nextUrl } : {}),
          },
        };
      }
      case 'details': {
        const d = await data.details(key);
        if (!d) return { status: 404, body: { status: 'NOT_FOUND', request_id: requestId(), message: 'Ticker not found.' } };
        return { status: 200, body: { request_id: requestId(), results: polygonDetails(d), status: 'OK' } };
      }
      case 'float': {
        const free = await data.float(key);
        const results = free === null ? [] : [{ ticker: key, effective_date: '2026-11-01', free_float: free, free_float_percent: 80 }];
        return { status: 200, body: { results, status: 'OK', request_id: requestId() } };
      }
    }
  }
}

/** Starts a fake server; close it in afterEach. */
export function startFakePolygonServer(options: FakePolygonOptions): Promise<FakePolygonServer> {
  return new FakePolygonServer(options).listen();
}

/** A representative SIC code per sector, so details served from synthetic data map back to the same sector. */
const SIC_OF_SECTOR: Readonly<Record<string, string>> = {
  Technology: '7372',
  Healthcare: '2834',
  'Financial Services': '6021',
  'Consumer Cyclical': '5961',
  Industrials: '3721',
  Energy: '2911',
  'Communication Services': '4813',
  'Consumer Defensive': '2000',
  'Basic Materials': '1040',
  'Real Estate': '6798',
  Utilities: '4911',
};

/** Serves a synthetic universe: what the polygon client reads back equals what the synthetic source says. */
export function syntheticPolygonData(source: SyntheticMarketDataSource): FakePolygonData {
  const universe = new Set(source.symbols);
  return {
    grouped: (date) => (isTradingDate(date) ? source.dailyBars(date) : Promise.resolve([])),
    aggs: async (symbol, date) => (universe.has(symbol) && isTradingDate(date) ? ((await source.intradayBars(date, [symbol])).values.get(symbol) ?? []) : []),
    details: async (symbol) => (await source.tickerDetails([symbol])).values.get(symbol) ?? null,
    float: async (symbol) => (await source.tickerDetails([symbol])).values.get(symbol)?.floatShares ?? null,
  };
}

function polygonDetails(d: TickerDetails): Record<string, unknown> {
  return {
    ticker: d.symbol,
    name: d.name,
    market: 'stocks',
    locale: 'us',
    primary_exchange: d.exchange,
    type: d.type,
    active: d.active,
    currency_name: 'usd',
    ...(d.marketCap === null ? {} : { market_cap: d.marketCap }),
    ...(d.sector && SIC_OF_SECTOR[d.sector] ? { sic_code: SIC_OF_SECTOR[d.sector] } : {}),
    ...(d.industry === null ? {} : { sic_description: d.industry }),
    ...(d.sharesOutstanding === null ? {} : { share_class_shares_outstanding: d.sharesOutstanding, weighted_shares_outstanding: d.sharesOutstanding }),
    round_lot: 100,
  };
}

function routeOf(url: URL): { route: RouteName | 'unknown'; key: string } {
  const parts = url.pathname.split('/').map((p) => decodeURIComponent(p));
  // /v2/aggs/grouped/locale/us/market/stocks/{date}
  if (parts[1] === 'v2' && parts[2] === 'aggs' && parts[3] === 'grouped' && parts.length === 9) return { route: 'grouped', key: parts[8] ?? '' };
  // /v2/aggs/ticker/{T}/range/5/minute/{from}/{to}
  if (parts[1] === 'v2' && parts[2] === 'aggs' && parts[3] === 'ticker' && parts.length === 10) return { route: 'aggs', key: parts[4] ?? '' };
  if (parts[1] === 'v3' && parts[2] === 'reference' && parts[3] === 'tickers' && parts.length === 5) return { route: 'details', key: parts[4] ?? '' };
  if (url.pathname === '/stocks/vX/float') return { route: 'float', key: url.searchParams.get('ticker') ?? '' };
  return { route: 'unknown', key: '' };
}

function isTradingDate(date: string): boolean {
  try {
    return nyseCalendar.isTradingDay(date);
  } catch {
    return false;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

let requestCounter = 0;
function requestId(): string {
  requestCounter += 1;
  return `fake-${requestCounter.toString(16).padStart(8, '0')}`;
}
