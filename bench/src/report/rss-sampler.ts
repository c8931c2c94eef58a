/**
 * Peak resident set size of this process while something runs: `process.memoryUsage.rss()` sampled on
 * a timer. A sample cannot land while the event loop is blocked, so a synchronous spike shorter than
 * the loop's next turn can be missed; the peak is a lower bound, taken at the sampling interval.
 */
export interface RssSampler {
  /** Stops sampling; the largest RSS seen (bytes), including one last sample taken now. */
  stop(): number;
}

export function startRssSampler(intervalMs = 20): RssSampler {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return peak;
    },
  };
}
