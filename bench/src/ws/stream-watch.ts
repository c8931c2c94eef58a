import { createRedisKeys, decodeRankingStreamEntry } from '@scanner/redis-keys';
import type { Redis } from 'ioredis';
import { LatencyRecorder, type LatencySummary, summarizeLatency } from './latency-histogram.js';

type XReadReply = Array<[string, Array<[string, string[]]>]> | null;

export interface StreamWindow {
  /** Entries upstream wrote during the window (snapshots and deltas), and the deltas among them. */
  readonly entries: number;
  readonly deltas: number;
  /**
   * The feed's own share of the latency: from its `timestamp` (the tick's instant) to the XADD (the
   * stream id's milliseconds, Redis's clock, the same machine clock). Null without entries.
   */
  readonly feedDelay: LatencySummary | null;
}

/**
 * Follows the ranking stream from the main process on a connection of its own, to count what upstream
 * wrote during a measurement window and how much of the delivery latency is the feed's own.
 */
export class StreamWatch {
  private stopped = false;
  private open = false;
  private entries = 0;
  private deltas = 0;
  private readonly delay = new LatencyRecorder();
  private readonly loop: Promise<void>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.loop = this.run(createRedisKeys(prefix).rankingDeltas);
  }

  private async run(stream: string): Promise<void> {
    const newest = (await this.redis.xrevrange(stream, '+', '-', 'COUNT', 1))[0];
    let position = newest?.[0] ?? '0-0';
    while (!this.stopped) {
      const reply = (await this.redis.xread('COUNT', 1000, 'BLOCK', 500, 'STREAMS', stream, position)) as XReadReply;
      for (const [id, fields] of reply?.[0]?.[1] ?? []) {
        position = id;
        if (!this.open) continue;
        const entry = decodeRankingStreamEntry(fields);
        if (!entry.ok) continue;
        this.entries += 1;
        if (entry.value.type === 'delta') this.deltas += 1;
        this.delay.record(Number(id.split('-')[0]) - Date.parse(entry.value.timestamp));
      }
    }
  }

  startWindow(): void {
    this.entries = 0;
    this.deltas = 0;
    this.delay.reset();
    this.open = true;
  }

  endWindow(): StreamWindow {
    this.open = false;
    const histogram = this.delay.histogram();
    return { entries: this.entries, deltas: this.deltas, feedDelay: histogram.count === 0 ? null : summarizeLatency(histogram) };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.redis.disconnect();
    await this.loop.catch(() => undefined);
  }
}
