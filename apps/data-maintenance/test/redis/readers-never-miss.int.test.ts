import { Redis } from 'ioredis';
import { nyseCalendar } from '@scanner/market-calendar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillCommand } from '../../src/cli/commands/backfill-command.js';
import { calculateRvolAverages } from '../../src/tasks/calculate-rvol-averages.js';
import { syncRedis } from '../../src/tasks/sync-redis.js';
import { SyntheticMarketDataSource } from '../../src/sources/synthetic/synthetic-source.js';
import { collectOutput } from '../support/collect-output.js';
import { TEST_REDIS_URL, type Harness, createHarness } from '../support/maintenance-harness.js';

const LAST = '2026-11-20';

/** Polls EXISTS on the watched keys in a tight loop on its own connection until stopped. */
function startReader(keys: readonly string[]) {
  const connection = new Redis(TEST_REDIS_URL);
  const stats = { polls: 0, misses: 0, missed: new Set<string>() };
  let running = true;
  const loop = (async () => {
    while (running) {
      const pipeline = connection.pipeline();
      for (const key of keys) pipeline.exists(key);
      const replies = (await pipeline.exec()) ?? [];
      replies.forEach(([error, exists], i) => {
        if (error || exists !== 1) {
          stats.misses += 1;
          stats.missed.add(keys[i] as string);
        }
      });
      stats.polls += 1;
    }
  })();
  return {
    stats,
    async stop() {
      running = false;
      await loop;
      connection.disconnect();
    },
  };
}

describe('a reader polling the caches while they are rebuilt', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ source: new SyntheticMarketDataSource({ universeSize: 300, seed: 11 }), evening: LAST });
    const dates = nyseCalendar.lastSessions(6, LAST);
    expect(await backfillCommand(h.deps, { dates, tasks: null, force: false, continueOnError: false }, collectOutput())).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('never sees rvol:hist:avg:<SYM> or ticker:universe missing during calculate_rvol_averages and sync_redis', async () => {
    const symbols = (await h.redis.smembers(h.keys.tickerUniverse)).sort().slice(0, 20);
    expect(symbols).toHaveLength(20);
    const watched = [...symbols.map((s) => h.keys.rvolHistAvg(s)), h.keys.tickerUniverse];
    for (const key of watched) expect(await h.redis.exists(key)).toBe(1);

    const reader = startReader(watched);
    const pollsBefore = reader.stats.polls;
    // Several rounds, with 50 keys per transaction (the harness's chunk size): 6 transactions per rebuild
    // of 300 hashes, each followed by the reader's next poll.
    for (let round = 0; round < 5; round++) {
      expect((await calculateRvolAverages(h.ctx, LAST)).status).toBe('completed');
      expect((await syncRedis(h.ctx, LAST)).status).toBe('completed');
    }
    const pollsDuring = reader.stats.polls - pollsBefore;
    await reader.stop();

    expect(reader.stats.misses).toBe(0);
    expect([...reader.stats.missed]).toEqual([]);
    expect(pollsDuring).toBeGreaterThan(100);
  }, 60_000);
});
