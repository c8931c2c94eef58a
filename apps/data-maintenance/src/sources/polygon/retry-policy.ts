import type { RetryReason, SourceErrorCode } from '../market-data-source.js';

/**
 * When to try a request again and how long to wait. Pure: time and randomness come in as values.
 */

/** "Full jitter" (AWS architecture blog): uniform in [0, min(max, base * 2^(retry-1))), so a burst of failing callers spreads out. */
export function backoffDelayMs(retry: number, baseDelayMs: number, maxDelayMs: number, random: number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random * ceiling);
}

/**
 * The wait a `Retry-After` header asks for, in ms: delta-seconds or an HTTP date (RFC 9110 10.2.3).
 * Null when absent or unreadable; 0 for a date in the past.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (!Number.isFinite(at) || !/[a-z]/i.test(text)) return null;
  return Math.max(0, at - nowMs);
}

export type StatusVerdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'retry'; readonly reason: RetryReason; readonly code: SourceErrorCode }
  | { readonly kind: 'fail'; readonly code: SourceErrorCode };

/** 429 and 5xx are transient; 404 means the thing does not exist; any other 4xx will not improve by asking again. */
export function verdictOfStatus(status: number): StatusVerdict {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  if (status === 429) return { kind: 'retry', reason: 'rate_limited', code: 'RATE_LIMITED' };
  if (status === 408) return { kind: 'retry', reason: 'timeout', code: 'TIMEOUT' };
  if (status >= 500) return { kind: 'retry', reason: 'server_error', code: 'UPSTREAM_ERROR' };
  if (status === 404) return { kind: 'fail', code: 'NOT_FOUND' };
  return { kind: 'fail', code: 'REJECTED' };
}
