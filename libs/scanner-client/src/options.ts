import { SCANNER_LISTS, type ScannerList, isScannerList } from '@scanner/shared-types';
import type { BackoffOptions } from './backoff.js';
import { CLIENT_ERROR_CODES, ScannerClientError } from './errors.js';
import type { WebSocketConstructorLike } from './websocket-like.js';

/** The timer functions and the clock the client uses; tests pass fakes. `now` is milliseconds since the epoch. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export type TokenProvider = () => string | null | Promise<string | null>;

export interface ScannerClientOptions {
  /** ws://host:port/ws/scanner (wss:// behind TLS). */
  readonly url: string;
  /** The lists followed from the start (may be empty); subscribe()/unsubscribe() change the set at runtime. */
  readonly lists: readonly ScannerList[];
  /**
   * Asked before every connection attempt (so after a 4001 the next attempt carries a fresh token); sent
   * as `?token=` because browsers cannot set headers on a WebSocket. null: connect without a token.
   */
  readonly token?: TokenProvider;
  /** Default globalThis.WebSocket (browsers, Node 22+). On Node 20 pass the `ws` package's WebSocket. */
  readonly WebSocket?: WebSocketConstructorLike;
  readonly reconnect?: {
    /** Ceiling of the first retry's delay (default 1000). */
    readonly baseMs?: number;
    /** Largest ceiling (default 30000). */
    readonly maxMs?: number;
    /** Added to the delay when the server said "later" (HTTP 503/429 at the upgrade, close 4029, 1013); default 5000, as the server's Retry-After. */
    readonly throttleMs?: number;
  };
  /** Nothing received for this long (not even a pong): drop the socket and reconnect. Default 40000. */
  readonly silenceTimeoutMs?: number;
  /** How often an application-level `ping` is sent while open. Default 15000; must be below silenceTimeoutMs. */
  readonly pingIntervalMs?: number;
  /** [0, 1), as Math.random (the default); drives the backoff jitter. */
  readonly random?: () => number;
  readonly timers?: Timers;
}

export interface ResolvedOptions {
  readonly url: string;
  readonly lists: readonly ScannerList[];
  readonly token: TokenProvider | null;
  readonly WebSocket: WebSocketConstructorLike;
  readonly backoff: BackoffOptions;
  readonly throttleMs: number;
  readonly silenceTimeoutMs: number;
  readonly pingIntervalMs: number;
  readonly random: () => number;
  readonly timers: Timers;
}

export const DEFAULTS = {
  baseMs: 1_000,
  maxMs: 30_000,
  throttleMs: 5_000,
  silenceTimeoutMs: 40_000,
  pingIntervalMs: 15_000,
} as const;

const systemTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
  now: () => Date.now(),
};

function invalid(message: string): ScannerClientError {
  return new ScannerClientError(CLIENT_ERROR_CODES.INVALID_OPTIONS, message);
}

function positiveMs(name: string, value: unknown, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw invalid(`${name} must be a finite number of milliseconds ${allowZero ? '>= 0' : '> 0'}, got ${String(value)}`);
  }
  return value;
}

function checkUrl(url: unknown): string {
  if (typeof url !== 'string') throw invalid('url must be a string such as ws://host:9000/ws/scanner');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`url ${JSON.stringify(url)} is not an absolute URL; expected ws://host:port/path or wss://...`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw invalid(`url must use ws: or wss:, got ${parsed.protocol}`);
  }
  return url;
}

function checkLists(lists: unknown): ScannerList[] {
  if (!Array.isArray(lists)) throw invalid('lists must be an array of list names');
  const seen = new Set<ScannerList>();
  for (const list of lists) {
    if (!isScannerList(list)) {
      throw invalid(`unknown list ${JSON.stringify(list)}; expected one of ${SCANNER_LISTS.join(', ')}`);
    }
    seen.add(list);
  }
  return [...seen];
}

function defaultWebSocket(): WebSocketConstructorLike | undefined {
  const candidate = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof candidate === 'function' ? (candidate as WebSocketConstructorLike) : undefined;
}

/** Validates the options and fills the defaults; throws ScannerClientError INVALID_OPTIONS with the reason. */
export function resolveOptions(options: ScannerClientOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options must be an object');
  const url = checkUrl(options.url);
  const lists = checkLists(options.lists);
  if (options.token !== undefined && typeof options.token !== 'function') throw invalid('token must be a function returning the token');
  const WebSocket = options.WebSocket ?? defaultWebSocket();
  if (typeof WebSocket !== 'function') {
    throw invalid('no WebSocket implementation: this runtime has no globalThis.WebSocket; pass options.WebSocket (on Node 20, the `ws` package)');
  }
  const baseMs = positiveMs('reconnect.baseMs', options.reconnect?.baseMs, DEFAULTS.baseMs);
  const maxMs = positiveMs('reconnect.maxMs', options.reconnect?.maxMs, Math.max(DEFAULTS.maxMs, baseMs));
  if (maxMs < baseMs) throw invalid(`reconnect.maxMs (${maxMs}) must be at least reconnect.baseMs (${baseMs})`);
  const throttleMs = positiveMs('reconnect.throttleMs', options.reconnect?.throttleMs, DEFAULTS.throttleMs, true);
  const pingIntervalMs = positiveMs('pingIntervalMs', options.pingIntervalMs, DEFAULTS.pingIntervalMs);
  const silenceTimeoutMs = positiveMs('silenceTimeoutMs', options.silenceTimeoutMs, Math.max(DEFAULTS.silenceTimeoutMs, pingIntervalMs * 2));
  // A pong answers a ping: with the timeout at or below the interval, a quiet but healthy connection would be dropped.
  if (silenceTimeoutMs <= pingIntervalMs) {
    throw invalid(`silenceTimeoutMs (${silenceTimeoutMs}) must be greater than pingIntervalMs (${pingIntervalMs})`);
  }
  if (options.random !== undefined && typeof options.random !== 'function') throw invalid('random must be a function returning [0, 1)');
  return {
    url,
    lists,
    token: options.token ?? null,
    WebSocket,
    backoff: { baseMs, maxMs },
    throttleMs,
    silenceTimeoutMs,
    pingIntervalMs,
    random: options.random ?? Math.random,
    timers: options.timers ?? systemTimers,
  };
}

/** The URL with `?token=` set (replacing any token already in it), or unchanged without a token. */
export function urlWithToken(url: string, token: string | null): string {
  if (token === null) return url;
  const parsed = new URL(url);
  parsed.searchParams.set('token', token);
  return parsed.toString();
}
