export interface SlowConsumerLimits {
  readonly highWatermarkBytes: number;
  readonly hardLimitBytes: number;
  readonly hardLimitMs: number;
}

export interface SlowConsumerState {
  /** Deltas are withheld; one fresh snapshot per list follows once the buffer drains. */
  readonly lagging: boolean;
  /** Since when the buffer has been at or over the hard limit, else null. */
  readonly overHardLimitSince: number | null;
}

export const HEALTHY: SlowConsumerState = { lagging: false, overHardLimitSince: null };

/**
 * send: deliver normally. start_lagging: crossed the high watermark, withhold list updates from now on.
 * skip: still lagging. recover: drained, send one fresh snapshot per subscribed list. close: over the
 * hard limit for hardLimitMs, close with 4008.
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
  if (bufferedBytes >= limits.hardLimitBytes) {
    const since = state.overHardLimitSince ?? now;
    if (now - since >= limits.hardLimitMs) return { state: { lagging: true, overHardLimitSince: since }, action: 'close' };
    return { state: { lagging: true, overHardLimitSince: since }, action: state.lagging ? 'skip' : 'start_lagging' };
  }
  if (state.lagging) {
    if (bufferedBytes <= drainedBytes(limits)) return { state: HEALTHY, action: 'recover' };
    return { state: { lagging: true, overHardLimitSince: null }, action: 'skip' };
  }
  if (bufferedBytes >= limits.highWatermarkBytes) return { state: { lagging: true, overHardLimitSince: null }, action: 'start_lagging' };
  return { state: HEALTHY, action: 'send' };
}
