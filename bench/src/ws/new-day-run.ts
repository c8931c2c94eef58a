import { type IsoDate, nyseCalendar } from '@scanner/market-calendar';
import { createRedisKeys, encodeNewDayEvent, encodeTradingDate, newDayEvent } from '@scanner/redis-keys';
import type { Redis } from 'ioredis';
import { BenchError } from '../report/bench-error.js';
import { benchLog } from '../report/bench-log.js';
import { type LatencySummary, LatencyRecorder, summarizeLatency } from './latency-histogram.js';
import type { GeneratorPool } from './load/generator-pool.js';

export interface NewDayRound {
  readonly repetition: number;
  readonly day: IsoDate;
  /** Subscribers the PUBLISH reached (websocket-server's subscriber connection: 1). */
  readonly receivers: number;
  /** From just before the PUBLISH to each client's receipt of `new_day`; null when none received it. */
  readonly latency: LatencySummary | null;
  readonly received: number;
  readonly missing: number;
}

/**
 * Announces `day` the way data-maintenance's announcer does: `trading:current_day` set and the
 * `trading:new_day` event published together (here one MULTI; the app uses one script that also refuses
 * to move the day backwards, which the benchmark never does).
 */
async function announce(redis: Redis, prefix: string, day: IsoDate): Promise<number> {
  const keys = createRedisKeys(prefix);
  const payload = encodeNewDayEvent(newDayEvent(day, new Date()));
  const replies = await redis.multi().set(keys.tradingCurrentDay, encodeTradingDate(day)).publish(keys.newDayChannel, payload).exec();
  const published = replies?.[1];
  if (published === undefined || published[0] !== null) throw new BenchError('RUN_FAILED', `PUBLISH failed: ${String(published?.[0])}`);
  return published[1] as number;
}

/** One announcement to every connected client: the next trading day after `previous`. */
export async function runNewDayRound(pool: GeneratorPool, redis: Redis, prefix: string, previous: IsoDate, repetition: number): Promise<NewDayRound> {
  const day = nyseCalendar.nextTradingDay(previous);
  await pool.all('new-day-arm', {});
  const publishedAt = Date.now();
  const receivers = await announce(redis, prefix, day);
  const results = await pool.all('await-new-day', { timeoutMs: 30_000 });
  const recorder = new LatencyRecorder();
  for (const at of results.flatMap((r) => r.receivedAt)) recorder.record(at - publishedAt);
  const histogram = recorder.histogram();
  const round: NewDayRound = {
    repetition,
    day,
    receivers,
    latency: histogram.count === 0 ? null : summarizeLatency(histogram),
    received: histogram.count,
    missing: results.reduce((sum, r) => sum + r.missing, 0),
  };
  benchLog('new_day_round', { repetition, day, receivers, received: round.received, missing: round.missing, ...round.latency });
  return round;
}
