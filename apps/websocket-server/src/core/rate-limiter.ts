export interface RateLimits {
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /** Bucket size: how many messages may arrive at once (a client subscribing to every list on connect). */
  readonly burst: number;
  /** Refused messages within `windowMs` after which the connection is closed (4029). */
  readonly maxViolations: number;
  readonly windowMs: number;
}

export interface RateState {
  readonly tokens: number;
  readonly updatedAt: number;
  readonly violations: number;
  /** When the current violation window started (the first refusal in it). */
  readonly windowStart: number;
}

export type RateVerdict = 'allow' | 'deny' | 'close';

export function initialRateState(now: number, limits: RateLimits): RateState {
  return { tokens: limits.burst, updatedAt: now, violations: 0, windowStart: now };
}

/**
 * A token bucket for one connection's messages. A refused message is answered (RATE_LIMITED); a client
 * that keeps sending into a full refusal window is not a slow frontend but a flood, and is closed.
 */
export function takeToken(state: RateState, now: number, limits: RateLimits): { readonly state: RateState; readonly verdict: RateVerdict } {
  const elapsedMs = Math.max(0, now - state.updatedAt);
  const tokens = Math.min(limits.burst, state.tokens + (elapsedMs * limits.ratePerSecond) / 1000);
  if (tokens >= 1) {
    return { state: { ...state, tokens: tokens - 1, updatedAt: now }, verdict: 'allow' };
  }
  const windowExpired = now - state.windowStart >= limits.windowMs;
  const violations = windowExpired ? 1 : state.violations + 1;
  const windowStart = windowExpired ? now : state.windowStart;
  const next: RateState = { tokens, updatedAt: now, violations, windowStart };
  return { state: next, verdict: violations >= limits.maxViolations ? 'close' : 'deny' };
}
