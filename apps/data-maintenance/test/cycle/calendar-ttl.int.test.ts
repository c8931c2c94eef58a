import { newYorkInstant } from '@scanner/market-calendar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/cycle/run-cycle.js';
import { type Harness, createHarness, standAt } from '../support/maintenance-harness.js';

/**
 * The TTLs the cycle actually writes, checked against instants worked out by hand (not against
 * calendarTtlSeconds, which computes them): a value must outlive the next session's open and its 17:00
 * run, over a weekend and over the Thanksgiving holiday (Thursday 2026-11-26 closed, Friday an early close).
 */
describe('calendar TTLs written by the cycle (17:00 New York run, 6 h grace)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ universeSize: 4, evening: '2026-11-20' });
  });
  afterEach(async () => {
    await h.close();
  });

  /** Runs `date` at 17:00 New York on that day and returns the TTLs left on its per-ticker keys. */
  async function runAt17(date: string): Promise<number[]> {
    standAt(h.clock, date, 17, 0);
    const outcome = await runCycle(h.deps, { date, tasks: null, trigger: 'test' });
    expect(outcome.succeeded).toBe(true);
    const symbols = await h.redis.smembers(h.keys.tickerUniverse);
    expect(symbols).toHaveLength(4);
    const ttls: number[] = [];
    for (const s of symbols) for (const key of [h.keys.tickerMetadata(s), h.keys.rvolHistAvg(s)]) ttls.push(await h.redis.ttl(key));
    return ttls;
  }

  const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

  it('a Friday write lasts past Monday 09:30 and Monday 17:00; Wednesday before Thanksgiving lasts past Friday; that Friday past Monday', async () => {
    // Friday 2026-11-20 17:00 -> Monday 11-23 17:00 + 6 h = 3 days + 6 h.
    for (const ttl of await runAt17('2026-11-20')) {
      expect(ttl).toBeLessThanOrEqual(3 * 86_400 + 6 * 3600);
      expect(ttl).toBeGreaterThan(3 * 86_400 + 6 * 3600 - 60);
      expect(ttl).toBeGreaterThan(seconds(newYorkInstant('2026-11-20', 17, 0), newYorkInstant('2026-11-23', 9, 30)));
    }
    // Wednesday 11-25 17:00 -> Friday 11-27 17:00 (the next session, past the holiday) + 6 h = 2 days + 6 h.
    for (const ttl of await runAt17('2026-11-25')) {
      expect(ttl).toBeLessThanOrEqual(2 * 86_400 + 6 * 3600);
      expect(ttl).toBeGreaterThan(2 * 86_400 + 6 * 3600 - 60);
      expect(ttl).toBeGreaterThan(seconds(newYorkInstant('2026-11-25', 17, 0), newYorkInstant('2026-11-27', 17, 0)));
    }
    // Friday 11-27 (early close) 17:00 -> Monday 11-30 17:00 + 6 h.
    for (const ttl of await runAt17('2026-11-27')) {
      expect(ttl).toBeLessThanOrEqual(3 * 86_400 + 6 * 3600);
      expect(ttl).toBeGreaterThan(3 * 86_400 + 6 * 3600 - 60);
    }
    expect(await h.redis.ttl(h.keys.tickerUniverse)).toBe(-1);
  }, 60_000);
});
