import { SLOT_MINUTES, newYorkOffsetMs } from '@scanner/market-calendar';
import type { IntradayBar } from '../market-data-source.js';

/**
 * Folds one-minute bars into five-minute bars aligned to New York wall time (09:30, 09:35, ...), the
 * shape the sources hand out. Input order does not matter: open/close come from the earliest/latest
 * minute of each bucket. Pure.
 */

const BUCKET_MS = SLOT_MINUTES * 60_000;

/** A one-minute bar has the same fields as a five-minute one; only its span differs. */
export type MinuteBar = IntradayBar;

interface Bucket {
  startMs: number;
  firstMinute: number;
  lastMinute: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** The start of the New York five-minute bucket an instant falls in. */
export function fiveMinuteBucketStart(ms: number): number {
  const wall = ms + newYorkOffsetMs(ms);
  return ms - (((wall % BUCKET_MS) + BUCKET_MS) % BUCKET_MS);
}

export class FiveMinuteAggregator {
  private readonly buckets = new Map<string, Map<number, Bucket>>();
  private readonly minutes = new Map<string, Set<number>>();

  /** Adds one minute; false when this symbol already had a bar starting at that minute. */
  add(symbol: string, minute: MinuteBar): boolean {
    let seen = this.minutes.get(symbol);
    if (!seen) {
      seen = new Set();
      this.minutes.set(symbol, seen);
      this.buckets.set(symbol, new Map());
    }
    if (seen.has(minute.startMs)) return false;
    seen.add(minute.startMs);
    const byStart = this.buckets.get(symbol) as Map<number, Bucket>;
    const start = fiveMinuteBucketStart(minute.startMs);
    const bucket = byStart.get(start);
    if (!bucket) {
      byStart.set(start, { startMs: start, firstMinute: minute.startMs, lastMinute: minute.startMs, ...pick(minute) });
      return true;
    }
    if (minute.startMs < bucket.firstMinute) {
      bucket.firstMinute = minute.startMs;
      bucket.open = minute.open;
    }
    if (minute.startMs > bucket.lastMinute) {
      bucket.lastMinute = minute.startMs;
      bucket.close = minute.close;
    }
    bucket.high = Math.max(bucket.high, minute.high);
    bucket.low = Math.min(bucket.low, minute.low);
    bucket.volume += minute.volume;
    return true;
  }

  /** Each symbol's five-minute bars, sorted by start. */
  bars(symbol: string): IntradayBar[] {
    const byStart = this.buckets.get(symbol);
    if (!byStart) return [];
    return [...byStart.values()]
      .sort((a, b) => a.startMs - b.startMs)
      .map(({ startMs, open, high, low, close, volume }) => ({ startMs, open, high, low, close, volume }));
  }
}

function pick(m: MinuteBar): Pick<Bucket, 'open' | 'high' | 'low' | 'close' | 'volume'> {
  return { open: m.open, high: m.high, low: m.low, close: m.close, volume: m.volume };
}
