import { type Clock, isValidIsoDate } from '@scanner/market-calendar';
import {
  type DailyBar,
  type IntradayBar,
  type MarketDataSource,
  type PerTickerResult,
  SourceError,
  type SourceStats,
  type TickerDetails,
  type TickerFailure,
} from '../market-data-source.js';
import { POLYGON_DEFAULTS } from '../source-config.js';
import { DEFAULT_HTTP_OPTIONS, PolygonHttpClient, type PolygonHttpOptions } from './polygon-http.js';
import { type AggregatesResponse, aggregatesSchema, floatSchema, groupedDailySchema, tickerDetailsSchema } from './polygon-schemas.js';
import { sectorOfSic } from './sic-sectors.js';

/**
 * The Polygon/Massive REST API as a MarketDataSource. All requests of one source share one rate
 * limit, one concurrency limit and one keep-alive socket pool. Per-ticker calls never throw for the
 * batch: each ticker that still fails after its retries is returned in `failures` with its code,
 * message and attempt count.
 */

export interface PolygonSourceOptions extends Partial<Omit<PolygonHttpOptions, 'apiKey'>> {
  readonly apiKey: string;
  /** Ask `/stocks/vX/float` for the free float (default true); not every plan includes it. */
  readonly floatEnabled?: boolean;
  readonly clock?: Clock;
}

/** A guard against a `next_url` chain that never ends (one day of 5-minute bars is 192 bars: one page). */
const MAX_PAGES = 100;

export class PolygonMarketDataSource implements MarketDataSource {
  readonly name = 'polygon' as const;
  private readonly http: PolygonHttpClient;
  private readonly floatEnabled: boolean;

  constructor(options: PolygonSourceOptions) {
    const { floatEnabled, apiKey, ...http } = options;
    this.http = new PolygonHttpClient({ ...DEFAULT_HTTP_OPTIONS, ...definedOnly(http), apiKey });
    this.floatEnabled = floatEnabled ?? POLYGON_DEFAULTS.floatEnabled;
  }

  /** Grouped daily bars; an empty array when Polygon answers with no results (the task judges that). */
  async dailyBars(date: string): Promise<DailyBar[]> {
    checkDate(date);
    const body = await this.http.getJson(`/v2/aggs/grouped/locale/us/market/stocks/${date}?adjusted=true`, groupedDailySchema);
    return (body.results ?? []).map((r) => ({
      symbol: r.T,
      date,
      open: r.o,
      high: r.h,
      low: r.l,
      close: r.c,
      volume: r.v,
      vwap: r.vw ?? null,
      trades: r.n ?? null,
    }));
  }

  async intradayBars(date: string, symbols: readonly string[]): Promise<PerTickerResult<IntradayBar[]>> {
    checkDate(date);
    return this.perTicker(symbols, (symbol) => this.fiveMinuteBars(symbol, date));
  }

  async tickerDetails(symbols: readonly string[]): Promise<PerTickerResult<TickerDetails>> {
    return this.perTicker(symbols, (symbol) => this.details(symbol));
  }

  stats(): SourceStats {
    return this.http.stats();
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async fiveMinuteBars(symbol: string, date: string): Promise<IntradayBar[]> {
    const bars: IntradayBar[] = [];
    const visited = new Set<string>();
    let next: string | null = `/v2/aggs/ticker/${encodeURIComponent(symbol)}/range/5/minute/${date}/${date}?adjusted=true&sort=asc&limit=50000`;
    while (next !== null) {
      if (visited.size >= MAX_PAGES || visited.has(next)) {
        throw new SourceError('INVALID_RESPONSE', `${symbol}: next_url pagination did not end after ${visited.size} pages`);
      }
      visited.add(next);
      const page: AggregatesResponse = await this.http.getJson(next, aggregatesSchema);
      for (const r of page.results ?? []) bars.push({ startMs: r.t, open: r.o, high: r.h, low: r.l, close: r.c, volume: r.v });
      next = page.next_url ? page.next_url : null;
    }
    return bars.sort((a, b) => a.startMs - b.startMs);
  }

  private async details(symbol: string): Promise<TickerDetails> {
    const [body, floatShares] = await Promise.all([
      this.http.getJson(`/v3/reference/tickers/${encodeURIComponent(symbol)}`, tickerDetailsSchema),
      this.floatEnabled ? this.freeFloat(symbol) : Promise.resolve(null),
    ]);
    const r = body.results;
    return {
      symbol,
      name: r.name ?? null,
      marketCap: r.market_cap ?? null,
      sector: r.sic_code ? sectorOfSic(r.sic_code) : null,
      industry: r.sic_description ?? null,
      floatShares,
      sharesOutstanding: r.share_class_shares_outstanding ?? r.weighted_shares_outstanding ?? null,
      exchange: r.primary_exchange ?? null,
      type: r.type ?? null,
      active: r.active ?? true,
    };
  }

  /** The free float; null when Polygon has none for the ticker (no results, or 404). */
  private async freeFloat(symbol: string): Promise<number | null> {
    try {
      const body = await this.http.getJson(`/stocks/vX/float?ticker=${encodeURIComponent(symbol)}`, floatSchema);
      return body.results?.[0]?.free_float ?? null;
    } catch (error) {
      if (error instanceof SourceError && error.code === 'NOT_FOUND') return null;
      if (error instanceof SourceError) throw new SourceError(error.code, `float: ${error.message}`, error.attempts, { cause: error });
      throw error;
    }
  }

  /** Runs `fetchOne` for every distinct symbol (the HTTP client bounds the concurrency) and sorts outcomes into values and failures. */
  private async perTicker<T>(symbols: readonly string[], fetchOne: (symbol: string) => Promise<T>): Promise<PerTickerResult<T>> {
    const unique = [...new Set(symbols)];
    const settled = await Promise.allSettled(unique.map((symbol) => fetchOne(symbol)));
    const values = new Map<string, T>();
    const failures: TickerFailure[] = [];
    settled.forEach((outcome, i) => {
      const symbol = unique[i] as string;
      if (outcome.status === 'fulfilled') {
        values.set(symbol, outcome.value);
        return;
      }
      const error: unknown = outcome.reason;
      // Anything but a SourceError is a bug in this code, not a market data failure: let it surface.
      if (!(error instanceof SourceError)) throw error;
      failures.push({ symbol, code: error.code, message: `${symbol}: ${error.message}`, attempts: error.attempts });
    });
    return { values, failures };
  }
}

function checkDate(date: string): void {
  if (!isValidIsoDate(date)) throw new SourceError('REJECTED', `polygon: ${JSON.stringify(date)} is not a valid YYYY-MM-DD date`);
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
