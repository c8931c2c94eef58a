import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRedisKeys } from '@scanner/redis-keys';
import { StreamReader } from '../src/adapters/redis/stream-reader.js';
import { TRADING_DAY } from './support/clock.js';
import { Harness } from './support/harness.js';
import { REDIS_URL, deleteKeysWithPrefix, randomPrefix, redisClient } from './support/redis.js';
import { makeRows } from './support/upstream.js';
import { waitFor } from './support/wait.js';

const BURST = 300;

/** Appends every entry in one MULTI, so a reader blocked in XREAD wakes to all of them in one reply. */
async function xaddAtOnce(redis: Redis, key: string, entries: readonly (readonly string[])[]): Promise<string[]> {
  const multi = redis.multi();
  for (const fields of entries) multi.xadd(key, '*', ...fields);
  const results = await multi.exec();
  if (results === null) throw new Error('MULTI aborted');
  return results.map(([error, id]) => {
    if (error !== null) throw error;
    return String(id);
  });
}

describe('StreamReader against real Redis: a long reply does not hold the event loop', () => {
  const prefix = randomPrefix();
  const key = createRedisKeys(prefix).rankingDeltas;
  let redis: Redis;
  let readerRedis: Redis;
  let reader: StreamReader | undefined;

  beforeEach(() => {
    redis = redisClient();
    readerRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    await reader?.stop();
    reader = undefined;
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  function startReader(onEntry: (id: string) => void, yieldEvery?: number): StreamReader {
    const started = new StreamReader({
      redis: readerRedis,
      key,
      blockMs: 200,
      count: 500,
      logger: pino({ level: 'silent' }),
      onEntry: (id) => onEntry(id),
      ...(yieldEvery === undefined ? {} : { yieldEvery }),
    });
    started.start();
    return started;
  }

  it('lets a callback scheduled when the reply starts run before its last entry, and applies every entry in order', async () => {
    const applied: string[] = [];
    let appliedWhenLoopTurned: number | null = null;
    reader = startReader((id) => {
      if (applied.length === 0) {
        setImmediate(() => {
          appliedWhenLoopTurned = applied.length;
        });
      }
      applied.push(id);
    });
    const running = reader;
    await waitFor('the reader to take its starting position', () => running.healthy);

    const ids = await xaddAtOnce(redis, key, Array.from({ length: BURST }, (_, i) => ['n', String(i)]));
    await waitFor('every entry to be applied', () => applied.length === BURST);

    expect(applied).toEqual(ids);
    expect(appliedWhenLoopTurned).not.toBeNull();
    expect(appliedWhenLoopTurned).toBeLessThan(BURST);
  });

  it('applies no entry of a reply after stop() resolves, when stopped halfway through it', async () => {
    const applied: string[] = [];
    let stopping: Promise<void> | null = null;
    reader = startReader((id) => {
      applied.push(id);
      if (applied.length === 10) stopping = reader?.stop() ?? null;
    });
    const running = reader;
    await waitFor('the reader to take its starting position', () => running.healthy);

    const ids = await xaddAtOnce(redis, key, Array.from({ length: BURST }, (_, i) => ['n', String(i)]));
    await waitFor('stop() to be called', () => stopping !== null);
    await stopping;
    const atStop = applied.length;
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(applied.length).toBe(atStop);
    expect(atStop).toBe(10);
    expect(applied).toEqual(ids.slice(0, 10));
  });

  it('refuses a yieldEvery below 1 with a stable code', () => {
    expect(() => startReader(() => undefined, 0)).toThrow(expect.objectContaining({ code: 'STREAM_READER_BAD_OPTION' }));
    readerRedis.disconnect();
  });
});

describe('server: a burst of stream entries', () => {
  let h: Harness;
  beforeEach(async () => {
    h = new Harness();
    await h.upstream.announceNewDay(TRADING_DAY, { publish: false });
  });
  afterEach(() => h.cleanup());

  it('reaches a subscriber whole and in order while the event loop turns between entries', async () => {
    await h.upstream.snapshot('momentum_up', makeRows(30, h.clock.now().toISOString()));
    const running = await h.startServer();
    const client = await h.connect(running);
    await client.subscribe('momentum_up');

    // Upstream's keys move on with each tick; the stream entries are appended afterwards in one go.
    const burst: string[][] = [];
    for (let i = 0; i < BURST; i++) {
      await h.upstream.priceTick('momentum_up', { xadd: false, rank: 'rotate' });
      burst.push(h.upstream.lastFields('momentum_up'));
    }

    // Counts applied deltas as the hub counts them, synchronously, without changing what it does.
    const metric = running.server.metrics.streamEntries;
    const labels = metric.labels.bind(metric);
    let deltasApplied = 0;
    let appliedWhenLoopTurned: number | null = null;
    const counting = (...values: string[]) => {
      if (values[0] === 'delta_applied') {
        if (deltasApplied === 0) {
          setImmediate(() => {
            appliedWhenLoopTurned = deltasApplied;
          });
        }
        deltasApplied++;
      }
      return labels(...values);
    };
    // handleEntry calls labels('delta_applied') with a string; the cast only picks that overload.
    vi.spyOn(metric, 'labels').mockImplementation(counting as typeof metric.labels);

    await xaddAtOnce(h.redis, h.keys.rankingDeltas, burst);
    const last = 1 + BURST;
    await client.next((m) => m.type === 'delta' && m['sequence'] === last, { timeoutMs: 15_000 });

    const sequences = client.listMessages('momentum_up').map((m) => [m.type, m['sequence']]);
    expect(sequences).toEqual([['snapshot', 1], ...Array.from({ length: BURST }, (_, i) => ['delta', 2 + i])]);
    expect(client.rebuild('momentum_up')).toEqual({ rows: h.upstream.rowsOf('momentum_up'), sequence: last });
    expect(client.errors()).toEqual([]);
    expect(deltasApplied).toBe(BURST);
    expect(appliedWhenLoopTurned).not.toBeNull();
    expect(appliedWhenLoopTurned).toBeLessThan(BURST);
  });
});
