export interface BackoffOptions {
  /** Ceiling of the first retry's delay. */
  readonly baseMs: number;
  /** The ceiling never grows past this. */
  readonly maxMs: number;
}

/**
 * "Full jitter" (AWS architecture blog, 2015): a delay drawn uniformly from [0, min(maxMs, baseMs * 2^attempt)).
 * Spreading every client over the whole window is what keeps thousands of them, dropped together by
 * one server restart, from coming back in one wave. `random` is Math.random's contract: [0, 1).
 */
export function fullJitterDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const exponent = Math.max(0, Math.floor(attempt));
  // 2 ** 1100 is Infinity, which min() turns into maxMs: no overflow to guard against.
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.min(Math.floor(unit * ceiling), Math.max(0, ceiling - 1));
}

/**
 * The wait before reconnect attempt `attempt` (0 for the first after a drop). `floorMs` is added for
 * refusals that mean "not now" (HTTP 503 with Retry-After, close 4029), so those never retry at once.
 */
export function reconnectDelay(attempt: number, options: BackoffOptions, random: () => number, floorMs = 0): number {
  return floorMs + fullJitterDelay(attempt, options, random);
}
