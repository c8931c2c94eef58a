import { setTimeout as delay } from 'node:timers/promises';
import { type Clock, systemClock } from '@scanner/market-calendar';
import pLimit, { type LimitFunction } from 'p-limit';
import pThrottle from 'p-throttle';
import { Agent, fetch } from 'undici';
import type { ZodType } from 'zod';
import { type RetryReason, SourceError, type SourceErrorCode, type SourceStats } from '../market-data-source.js';
import { POLYGON_DEFAULTS } from '../source-config.js';
import { RequestStats } from './request-stats.js';
import { backoffDelayMs, retryAfterMs, verdictOfStatus } from './retry-policy.js';

/**
 * GETs JSON from the Polygon/Massive REST API: Bearer auth, keep-alive sockets, a request rate and a
 * concurrency limit shared by every call, a timeout per attempt, and retries with full-jitter
 * exponential backoff on 429 (honouring Retry-After), 5xx, timeouts, network errors and damaged
 * bodies. A request that still fails throws a SourceError with its code and attempt count; every
 * request, retry and failure is counted.
 */

export interface PolygonHttpOptions {
  readonly apiKey: string;
  readonly baseUrl: string;
  /** May be fractional (0.083 = 5 a minute). */
  readonly requestsPerSecond: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** A body that is not the expected JSON is retried at most this often (it is usually a cut connection). */
  readonly maxInvalidResponseRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Longest wait a Retry-After header is obeyed for; longer asks wait this long. */
  readonly maxRetryAfterMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly clock: Clock;
}

export const DEFAULT_HTTP_OPTIONS = {
  baseUrl: POLYGON_DEFAULTS.baseUrl,
  requestsPerSecond: POLYGON_DEFAULTS.requestsPerSecond,
  concurrency: POLYGON_DEFAULTS.concurrency,
  timeoutMs: POLYGON_DEFAULTS.timeoutMs,
  maxRetries: POLYGON_DEFAULTS.maxRetries,
  maxInvalidResponseRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  sleep: (ms: number) => delay(ms).then(() => undefined),
  random: Math.random,
  clock: systemClock,
} as const satisfies Omit<PolygonHttpOptions, 'apiKey'>;

/** Hosts a `next_url` may point at: the configured one, and the API's two names (Polygon became Massive). */
const API_HOSTS = new Set(['api.polygon.io', 'api.massive.com']);
const MESSAGE_SNIPPET = 300;

type Attempt<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'retry'; readonly reason: RetryReason; readonly code: SourceErrorCode; readonly message: string; readonly waitMs: number | null }
  | { readonly kind: 'fail'; readonly code: SourceErrorCode; readonly message: string };

export class PolygonHttpClient {
  private readonly options: PolygonHttpOptions;
  private readonly origin: string;
  private readonly agent: Agent;
  private readonly limit: LimitFunction;
  private readonly throttle: <R>(fn: () => Promise<R>) => Promise<R>;
  private readonly counters = new RequestStats();
  private closed = false;

  constructor(options: PolygonHttpOptions) {
    checkOptions(options);
    this.options = options;
    this.origin = new URL(options.baseUrl).origin;
    this.agent = new Agent({ connections: options.concurrency, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
    this.limit = pLimit(options.concurrency);
    const rate = options.requestsPerSecond;
    const throttled = pThrottle(Number.isInteger(rate) ? { limit: rate, interval: 1000, strict: true } : { limit: 1, interval: 1000 / rate, strict: true })(
      (fn: () => Promise<unknown>) => fn(),
    );
    this.throttle = <R>(fn: () => Promise<R>) => throttled(fn) as Promise<R>;
  }

  /** An absolute URL for an API path (`/v2/...`) or a `next_url`, refusing hosts the key must not go to. */
  resolve(pathOrUrl: string): URL {
    const url = new URL(pathOrUrl, this.options.baseUrl);
    if (url.origin !== this.origin && !(url.protocol === 'https:' && API_HOSTS.has(url.hostname))) {
      throw new SourceError('INVALID_RESPONSE', `refusing to send the API key to ${url.origin} (a next_url outside the API)`);
    }
    return url;
  }

  /** GETs and validates one JSON document, retrying as the policy says. */
  async getJson<T>(pathOrUrl: string, schema: ZodType<T>): Promise<T> {
    // A closed client is a wiring bug, not an API failure to retry and count.
    if (this.closed) throw new Error('polygon client used after close()');
    const url = this.resolve(pathOrUrl);
    const label = url.pathname;
    let invalidRetries = 0;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.limit(() => this.throttle(() => this.attempt(url, schema)));
      if (outcome.kind === 'ok') return outcome.value;
      const retriesLeft =
        attempt <= this.options.maxRetries && (outcome.kind === 'retry' && (outcome.reason !== 'invalid_response' || invalidRetries < this.options.maxInvalidResponseRetries));
      if (outcome.kind === 'fail' || !retriesLeft) {
        this.counters.failure(outcome.code);
        const tries = attempt === 1 ? '1 attempt' : `${attempt} attempts`;
        // The message quotes the API's answer, which may repeat the request key and all (a gateway's error
        // page, a JSON parse error's excerpt); it ends up in logs, the ledger and /status.
        throw new SourceError(outcome.code, withoutKey(`GET ${label}: ${outcome.message} (${tries})`, this.options.apiKey), attempt);
      }
      if (outcome.reason === 'invalid_response') invalidRetries += 1;
      this.counters.retry(outcome.reason);
      const backoff = backoffDelayMs(attempt, this.options.baseDelayMs, this.options.maxDelayMs, this.options.random());
      await this.options.sleep(outcome.waitMs === null ? backoff : Math.min(outcome.waitMs, this.options.maxRetryAfterMs));
    }
  }

  stats(): SourceStats {
    return this.counters.snapshot();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.agent.close();
  }

  private async attempt<T>(url: URL, schema: ZodType<T>): Promise<Attempt<T>> {
    this.counters.request();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    let status = 0;
    let retryAfter: string | null = null;
    let body: string;
    try {
      const response = await fetch(url, {
        dispatcher: this.agent,
        signal: controller.signal,
        headers: { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json' },
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      body = await response.text();
    } catch (error) {
      if (controller.signal.aborted) {
        return { kind: 'retry', reason: 'timeout', code: 'TIMEOUT', message: `no complete answer within ${this.options.timeoutMs} ms`, waitMs: null };
      }
      const detail = networkDetail(error);
      return { kind: 'retry', reason: 'network_error', code: 'NETWORK_ERROR', message: `${status ? `HTTP ${status}, then ` : ''}${detail}`, waitMs: null };
    } finally {
      clearTimeout(timer);
    }

    const verdict = verdictOfStatus(status);
    if (verdict.kind !== 'ok') {
      const message = `HTTP ${status}${bodyMessage(body)}`;
      if (verdict.kind === 'fail') return { kind: 'fail', code: verdict.code, message };
      return { ...verdict, message, waitMs: retryAfterMs(retryAfter, this.options.clock.now().getTime()) };
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      return invalid(`body is not JSON (${(error as Error).message}; ${body.length} bytes)`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return invalid(`unexpected response shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`);
    }
    return { kind: 'ok', value: parsed.data };
  }
}

function withoutKey(text: string, apiKey: string): string {
  return text.split(apiKey).join('[redacted]');
}

function invalid(message: string): Attempt<never> {
  return { kind: 'retry', reason: 'invalid_response', code: 'INVALID_RESPONSE', message, waitMs: null };
}

/** The API's own error text (`error` or `message` in its JSON), else the start of the body. */
function bodyMessage(body: string): string {
  try {
    const json = JSON.parse(body) as { error?: unknown; message?: unknown };
    const text = typeof json.error === 'string' ? json.error : typeof json.message === 'string' ? json.message : null;
    if (text) return `: ${text.slice(0, MESSAGE_SNIPPET)}`;
  } catch {
    // not JSON: fall through to the raw text
  }
  const trimmed = body.trim();
  return trimmed ? `: ${trimmed.slice(0, MESSAGE_SNIPPET)}` : '';
}

function networkDetail(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = (error as Error).message ?? String(error);
  if (cause?.code || cause?.message) return `${message}: ${[cause.code, cause.message].filter(Boolean).join(' ')}`;
  return message;
}

function checkOptions(o: PolygonHttpOptions): void {
  const problems: string[] = [];
  if (o.apiKey.trim() === '') problems.push('apiKey is empty');
  if (!URL.canParse(o.baseUrl) || !/^https?:$/.test(new URL(o.baseUrl).protocol)) problems.push(`baseUrl ${JSON.stringify(o.baseUrl)} is not an http(s) URL`);
  if (!(o.requestsPerSecond > 0) || !Number.isFinite(o.requestsPerSecond)) problems.push(`requestsPerSecond must be positive, got ${o.requestsPerSecond}`);
  for (const [name, value, min] of [
    ['concurrency', o.concurrency, 1],
    ['timeoutMs', o.timeoutMs, 1],
    ['maxRetries', o.maxRetries, 0],
    ['maxInvalidResponseRetries', o.maxInvalidResponseRetries, 0],
    ['baseDelayMs', o.baseDelayMs, 0],
    ['maxDelayMs', o.maxDelayMs, 0],
    ['maxRetryAfterMs', o.maxRetryAfterMs, 0],
  ] as const) {
    if (!Number.isInteger(value) || value < min) problems.push(`${name} must be an integer >= ${min}, got ${value}`);
  }
  if (problems.length > 0) throw new RangeError(`polygon client: ${problems.join('; ')}`);
}
