import type { FanoutTimings } from './fanout-run.js';

/** Sizes, repetitions and durations of the fan-out benchmark. */
export interface FanoutPlan {
  readonly sizes: readonly number[];
  readonly repetitions: number;
  /** Load-generator processes (each holds sizes/generators clients, all 11 lists each). */
  readonly generators: number;
  readonly timings: FanoutTimings;
  readonly rssLimitBytes: number;
  /**
   * A server whose median run at a size has a p99 above maxP99Ms, or delivers under minDeliveredRatio
   * of the deltas upstream wrote, or whose runs failed, is past what it sustains: it is not run at
   * larger sizes (the report says where it stopped and why).
   */
  readonly overload: { readonly maxP99Ms: number; readonly minDeliveredRatio: number };
  /** Where websocket-server is profiled when a target is missed. */
  readonly profileClients: number;
}

export function fanoutPlan(quick: boolean): FanoutPlan {
  const overload = { maxP99Ms: 5_000, minDeliveredRatio: 0.9 };
  if (quick) {
    return {
      sizes: [50, 200],
      repetitions: 1,
      generators: 2,
      timings: { settleMs: 1_000, warmupMs: 2_000, windowMs: 5_000, connectTimeoutMs: 30_000, connectTimeoutPerClientMs: 10 },
      rssLimitBytes: 4 * 2 ** 30,
      overload,
      profileClients: 200,
    };
  }
  return {
    sizes: [1_000, 5_000, 10_000],
    repetitions: 3,
    generators: 4,
    timings: { settleMs: 2_000, warmupMs: 5_000, windowMs: 10_000, connectTimeoutMs: 30_000, connectTimeoutPerClientMs: 10 },
    rssLimitBytes: 4 * 2 ** 30,
    overload,
    profileClients: 5_000,
  };
}
