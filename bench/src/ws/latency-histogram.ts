import { BenchError } from '../report/bench-error.js';

/**
 * Delivery latencies in whole milliseconds (the producer's timestamp and the receipt clock are both
 * millisecond values), counted per millisecond: a load generator records hundreds of thousands of
 * samples per second, and a count per value is exact for integer samples while staying small enough to
 * send to the main process. Negative values (a receipt stamped a tick before the producer's clock) are
 * counted as 0 ms and tallied apart so a clock problem would show.
 */
export interface LatencyHistogram {
  /** [latency ms, count], ascending by latency, counts > 0. */
  readonly buckets: ReadonlyArray<readonly [number, number]>;
  readonly count: number;
  readonly negative: number;
}

export const EMPTY_HISTOGRAM: LatencyHistogram = { buckets: [], count: 0, negative: 0 };

/** Accumulates samples; cheap per sample (one Map update). */
export class LatencyRecorder {
  private counts = new Map<number, number>();
  private total = 0;
  private negatives = 0;

  record(latencyMs: number): void {
    let value = Math.round(latencyMs);
    if (value < 0) {
      this.negatives += 1;
      value = 0;
    }
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
    this.total += 1;
  }

  get count(): number {
    return this.total;
  }

  reset(): void {
    this.counts = new Map();
    this.total = 0;
    this.negatives = 0;
  }

  histogram(): LatencyHistogram {
    const buckets = [...this.counts.entries()].sort((a, b) => a[0] - b[0]);
    return { buckets, count: this.total, negative: this.negatives };
  }
}

/** One histogram of every sample of `parts` (e.g. one per load-generator process). */
export function mergeHistograms(parts: readonly LatencyHistogram[]): LatencyHistogram {
  const counts = new Map<number, number>();
  let count = 0;
  let negative = 0;
  for (const part of parts) {
    for (const [value, n] of part.buckets) counts.set(value, (counts.get(value) ?? 0) + n);
    count += part.count;
    negative += part.negative;
  }
  return { buckets: [...counts.entries()].sort((a, b) => a[0] - b[0]), count, negative };
}

/**
 * Nearest-rank percentile, the same definition as report/stats `percentile`: the smallest value with at
 * least p% of the samples at or below it (p = 0 gives the minimum, p = 100 the maximum).
 */
export function histogramPercentile(histogram: LatencyHistogram, p: number): number {
  if (histogram.count === 0) throw new BenchError('INVALID_ARGUMENT', 'percentile of an empty histogram');
  if (!(p >= 0 && p <= 100)) throw new BenchError('INVALID_ARGUMENT', `percentile ${p} is outside 0..100`);
  const rank = Math.max(1, Math.ceil((p / 100) * histogram.count));
  let seen = 0;
  for (const [value, n] of histogram.buckets) {
    seen += n;
    if (seen >= rank) return value;
  }
  throw new BenchError('INVALID_ARGUMENT', `histogram counts (${seen}) do not add up to its count (${histogram.count})`);
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export function summarizeLatency(histogram: LatencyHistogram): LatencySummary {
  return {
    count: histogram.count,
    p50: histogramPercentile(histogram, 50),
    p99: histogramPercentile(histogram, 99),
    max: histogramPercentile(histogram, 100),
  };
}
