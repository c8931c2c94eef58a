export interface SlowConsumerLimits {
  readonly highWatermarkBytes: number;
  readonly hardLimitBytes: number;
  readonly hardLimitMs: number;
  /** A client that has not drained for this long is closed whatever its buffer: it holds a slot for nothing. */
  readonly maxLagMs: number;
}

export interface SlowConsumerState {
  /** Since when deltas are withheld (one fresh snapshot per list follows once the buffer drains), else null. */
  readonly laggingSince: number | null;
  /** Since when the buffer has been at or over the hard limit, else null. */
  readonly overHardLimitSince: number | null;
}

export const HEALTHY: SlowConsumerState = { laggingSince: null, overHardLimitSince: null };

export function isLagging(state: SlowConsumerState): boolean {
  return state.laggingSince !== null;
}

/**
 * send: deliver normally. start_lagging: crossed the high watermark, withhold list updates from now on.
 * skip: still lagging. recover: drained, send one fresh snapshot per subscribed list. close: over the
 * hard limit for hardLimitMs, or lagging for maxLagMs: close with 4008.
 */
export type SlowConsumerAction = 'send' | 'start_lagging' | 'skip' | 'recover' | 'close';

/** The buffer counts as drained at a quarter of the high watermark, so a recovery is not instantly undone. */
export function drainedBytes(limits: SlowConsumerLimits): number {
  return Math.floor(limits.highWatermarkBytes / 4);
}

export function evaluateSlowConsumer(
  state: SlowConsumerState,
  bufferedBytes: number,
  now: number,
  limits: SlowConsumerLimits,
): { readonly state: SlowConsumerState; readonly action: SlowConsumerAction } {
  const laggingSince = state.laggingSince ?? now;
  const startOrSkip = state.laggingSince === null ? 'start_lagging' : 'skip';
  if (bufferedBytes >= limits.hardLimitBytes) {
    const since = state.overHardLimitSince ?? now;
    const next = { laggingSince, overHardLimitSince: since };
    if (now - since >= limits.hardLimitMs || now - laggingSince >= limits.maxLagMs) return { state: next, action: 'close' };
    return { state: next, action: startOrSkip };
  }
  if (state.laggingSince !== null) {
    if (bufferedBytes <= drainedBytes(limits)) return { state: HEALTHY, action: 'recover' };
    const next = { laggingSince, overHardLimitSince: null };
    return { state: next, action: now - laggingSince >= limits.maxLagMs ? 'close' : 'skip' };
  }
  if (bufferedBytes >= limits.highWatermarkBytes) return { state: { laggingSince: now, overHardLimitSince: null }, action: 'start_lagging' };
  return { state: HEALTHY, action: 'send' };
}
