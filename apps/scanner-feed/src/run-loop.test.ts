import { newYorkInstant, systemClock } from '@scanner/market-calendar';
import { SCANNER_LISTS } from '@scanner/shared-types';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ListUpdate } from './core/feed-plan.js';
import { type Feed, createFeed } from './feed.js';
import { runFeed } from './run-loop.js';

const logger = pino({ level: 'silent' });

function feedWith(write: (updates: readonly ListUpdate[]) => Promise<void>): Feed {
  // The market's own time is fixed, so what it produces does not depend on when the test runs.
  const marketClock = { now: () => newYorkInstant('2026-11-18', 10, 0) };
  return createFeed({ writer: { write }, clock: marketClock, lists: SCANNER_LISTS.slice(0, 2), rowsPerList: 10, universeSize: 50, seed: 1 });
}

describe('runFeed', () => {
  it('starts the feed, runs the number of ticks asked for, then returns', async () => {
    const batches: Array<readonly ListUpdate[]> = [];
    const feed = feedWith(async (updates) => {
      batches.push(updates);
    });
    const ticks = await runFeed({ feed, clock: systemClock, cadenceMs: 10, ticks: 3, signal: new AbortController().signal, logger });
    expect(ticks).toBe(3);
    expect(batches[0]?.every((u) => u.entry.type === 'snapshot')).toBe(true);
    expect(feed.market()).not.toBeNull();
  });

  it('stops when the signal aborts, without another tick', async () => {
    const stop = new AbortController();
    let writes = 0;
    const feed = feedWith(async () => {
      writes += 1;
      if (writes === 3) stop.abort();
    });
    const ticks = await runFeed({ feed, clock: systemClock, cadenceMs: 10, ticks: null, signal: stop.signal, logger });
    expect(ticks).toBe(2);
    expect(writes).toBe(3);
  });

  it('keeps going after a failed write', async () => {
    let calls = 0;
    const feed = feedWith(async () => {
      calls += 1;
      if (calls === 2) throw new Error('connection lost');
    });
    expect(await runFeed({ feed, clock: systemClock, cadenceMs: 10, ticks: 3, signal: new AbortController().signal, logger })).toBe(3);
    expect(calls).toBe(4);
  });
});
