import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '@scanner/market-calendar';
import type { Logger } from 'pino';
import type { Feed } from './feed.js';

export interface RunLoopOptions {
  readonly feed: Feed;
  readonly clock: Clock;
  readonly cadenceMs: number;
  /** Stop after this many ticks; null runs until `signal` aborts. */
  readonly ticks: number | null;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/**
 * Starts the feed, then ticks on a fixed grid (start + n * cadence): a slow tick shifts nothing after it,
 * and slots missed while one ran are skipped rather than fired in a burst. A failed write is logged and
 * the loop goes on; the feed answers it with snapshots. Returns the number of ticks run.
 */
export async function runFeed(options: RunLoopOptions): Promise<number> {
  const { feed, clock, cadenceMs, ticks, signal, logger } = options;
  const origin = clock.now().getTime();
  await attempt(() => feed.start(), logger);
  let done = 0;
  let slot = 0;
  while (!signal.aborted && (ticks === null || done < ticks)) {
    const elapsed = clock.now().getTime() - origin;
    slot = Math.max(slot + 1, Math.floor(elapsed / cadenceMs) + 1);
    const wait = origin + slot * cadenceMs - clock.now().getTime();
    if (!(await pause(wait, signal))) break;
    await attempt(() => feed.tick(), logger);
    done += 1;
  }
  return done;
}

async function attempt(write: () => Promise<unknown>, logger: Logger): Promise<void> {
  try {
    await write();
  } catch (error) {
    logger.error({ event: 'feed_write_failed', err: error }, 'writing to Redis failed; the next tick writes snapshots');
  }
}

/** False when the signal aborted the wait. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(Math.max(0, ms), undefined, { signal });
    return true;
  } catch (error) {
    if (signal.aborted) return false;
    throw error;
  }
}
