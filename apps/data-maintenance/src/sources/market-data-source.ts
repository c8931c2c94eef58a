/**
 * The one interface every market data source implements (DESIGN 5.3): `polygon` (REST), `flatfiles`
 * (Polygon flat files on disk) and `synthetic` (deterministic generated data). The tasks only see this.
 *
 * Failures are data, not exceptions, wherever one ticker can fail without the others: a source returns
 * what it got plus the tickers it could not get, with a stable code, so a task can report them by name.
 * A failure of the whole request (the grouped-daily call, a missing day file) throws a `SourceError`.
 */

export const SOURCE_NAMES = ['polygon', 'flatfiles', 'synthetic'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** One session's daily bar (`market_data_daily`). Prices in dollars; `vwap`/`trades` when the source has them. */
export interface DailyBar {
  readonly symbol: string;
  /** Trading date, YYYY-MM-DD (America/New_York). */
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly vwap: number | null;
  readonly trades: number | null;
}

/** One 5-minute bar; `startMs` is the bar's start instant in epoch milliseconds (Polygon's `t`). */
export interface IntradayBar {
  readonly startMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Ticker reference data (`ticker_metadata`, `metadata:ticker:<SYM>`). Unknown values are null. */
export interface TickerDetails {
  readonly symbol: string;
  readonly name: string | null;
  readonly marketCap: number | null;
  readonly sector: string | null;
  readonly industry: string | null;
  readonly floatShares: number | null;
  readonly sharesOutstanding: number | null;
  readonly exchange: string | null;
  readonly type: string | null;
  readonly active: boolean;
}

export const SOURCE_ERROR_CODES = [
  /** HTTP 429 after every retry. */
  'RATE_LIMITED',
  /** HTTP 5xx after every retry. */
  'UPSTREAM_ERROR',
  /** 4xx other than 404/429 (bad key, bad request): not retried. */
  'REJECTED',
  /** The ticker or the day does not exist at the source (404, no file, unknown symbol). */
  'NOT_FOUND',
  /** The body was not the JSON/CSV shape expected (truncated, malformed, wrong fields). */
  'INVALID_RESPONSE',
  /** No answer within the request timeout, after every retry. */
  'TIMEOUT',
  /** Connection refused/reset, DNS, TLS, after every retry. */
  'NETWORK_ERROR',
] as const;
export type SourceErrorCode = (typeof SOURCE_ERROR_CODES)[number];

export class SourceError extends Error {
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    readonly attempts = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SourceError';
  }
}

/** A ticker the source could not serve, after its retries. */
export interface TickerFailure {
  readonly symbol: string;
  readonly code: SourceErrorCode;
  readonly message: string;
  readonly attempts: number;
}

export interface PerTickerResult<T> {
  /** Keyed by symbol; a symbol that exists but had no data that day maps to an empty array / is absent. */
  readonly values: ReadonlyMap<string, T>;
  readonly failures: readonly TickerFailure[];
}

/** Why a request was tried again. */
export const RETRY_REASONS = ['rate_limited', 'server_error', 'timeout', 'network_error', 'invalid_response'] as const;
export type RetryReason = (typeof RETRY_REASONS)[number];

/** What a source did, for a task's result: every request, every retry by reason, every final failure by code. */
export interface SourceStats {
  readonly requests: number;
  readonly retries: Readonly<Record<RetryReason, number>>;
  readonly failures: Readonly<Record<SourceErrorCode, number>>;
}

export interface MarketDataSource {
  readonly name: SourceName;
  /** Every ticker's daily bar for one session (Polygon grouped daily). Throws `SourceError` if the day cannot be had. */
  dailyBars(date: string): Promise<DailyBar[]>;
  /**
   * 5-minute bars for one session, pre-market and post-market included, sorted by `startMs`. A symbol
   * with no trades that day maps to an empty array; a symbol the source failed on is in `failures`.
   */
  intradayBars(date: string, symbols: readonly string[]): Promise<PerTickerResult<IntradayBar[]>>;
  /** Reference data for each symbol; unknown symbols are failures with code NOT_FOUND. */
  tickerDetails(symbols: readonly string[]): Promise<PerTickerResult<TickerDetails>>;
  /** Counters since the source was created (sources that make requests: polygon). */
  stats?(): SourceStats;
  /** Releases sockets/file handles. */
  close(): Promise<void>;
}
