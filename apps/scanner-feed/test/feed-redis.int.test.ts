import { ManualClock, newYorkInstant } from '@scanner/market-calendar';
import { type RedisKeys, decodeScannerRows, decodeSequence } from '@scanner/redis-keys';
import { SCANNER_LISTS, type ScannerList, type ScannerRow, applyRankingDeltas } from '@scanner/shared-types';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedisWriter } from '../src/adapters/redis-writer.js';
import { type FeedOptions, createFeed } from '../src/feed.js';
import { readStream, redisTestKit } from './redis-test-kit.js';

const kit = redisTestKit();
const { redis } = kit;
afterEach(() => kit.cleanup());
afterAll(() => redis.quit());

const START = newYorkInstant('2026-11-18', 10, 0);

function setup(overrides: Partial<FeedOptions> = {}, streamMaxLen = 100_000) {
  const keys = kit.freshKeys();
  const clock = new ManualClock(START);
  const feed = createFeed({
    writer: createRedisWriter({ redis, keys, streamMaxLen }),
    clock,
    lists: SCANNER_LISTS,
    rowsPerList: 100,
    universeSize: 600,
    seed: 7,
    ...overrides,
  });
  const tick = () => {
    clock.advance(2000);
    return feed.tick();
  };
  return { keys, clock, feed, tick };
}

async function storedList(keys: RedisKeys, list: ScannerList): Promise<{ rows: ScannerRow[]; sequence: number }> {
  const [[, rowsText], [, sequenceText]] = (await redis.multi().get(keys.scannerCategory(list)).get(keys.scannerSequence(list)).exec()) as [
    [null, string | null],
    [null, string | null],
  ];
  const rows = decodeScannerRows(rowsText);
  const sequence = decodeSequence(sequenceText);
  if (!rows.ok || !sequence.ok) throw new Error(`${list}: stored keys do not decode`);
  return { rows: rows.value, sequence: sequence.value };
}

/** Replays the stream per list from its snapshots, checking sequences as a reader would. */
async function replay(keys: RedisKeys) {
  const state = new Map<ScannerList, { sequence: number; rows: ScannerRow[]; history: Map<number, ScannerRow[]> }>();
  for (const { id, entry } of await readStream(redis, keys)) {
    if (entry.type === 'snapshot') {
      expect(entry.sequence, `${id} ${entry.list}`).toBe(1);
      const rows = [...entry.rows];
      state.set(entry.list, { sequence: 1, rows, history: new Map([[1, rows]]) });
      continue;
    }
    const held = state.get(entry.list);
    if (held === undefined) throw new Error(`${id}: delta for ${entry.list} before its snapshot`);
    expect(entry.sequence, `${id} ${entry.list}: no gap`).toBe(held.sequence + 1);
    const applied = applyRankingDeltas(held.rows, entry.deltas, entry.timestamp);
    if (!applied.ok) throw new Error(`${id}: ${applied.error.message}`);
    held.sequence = entry.sequence;
    held.rows = applied.value;
    held.history.set(entry.sequence, applied.value);
  }
  return state;
}

describe('scanner-feed writing to Redis', () => {
  it('after K ticks: one snapshot per list, then deltas 2..K+1 without gaps, replaying to the stored rows and sequence', async () => {
    const { keys, feed, tick } = setup();
    await feed.start();
    const K = 12;
    const changedTicks = new Map<ScannerList, number>(SCANNER_LISTS.map((l) => [l, 0]));
    for (let i = 0; i < K; i++) {
      for (const w of (await tick()).written) changedTicks.set(w.list, (changedTicks.get(w.list) ?? 0) + 1);
    }

    const entries = await readStream(redis, keys);
    expect(entries.slice(0, SCANNER_LISTS.length).map((e) => [e.entry.type, e.entry.list, e.entry.sequence])).toEqual(
      SCANNER_LISTS.map((l) => ['snapshot', l, 1]),
    );
    expect(entries.slice(SCANNER_LISTS.length).every((e) => e.entry.type === 'delta')).toBe(true);
    // The busiest list changes on every tick of a mid-morning market.
    expect(changedTicks.get('winners')).toBe(K);

    const replayed = await replay(keys);
    for (const list of SCANNER_LISTS) {
      const held = replayed.get(list);
      const stored = await storedList(keys, list);
      expect(held?.sequence, list).toBe(1 + (changedTicks.get(list) ?? 0));
      expect(stored.sequence, list).toBe(held?.sequence);
      expect(stored.rows, list).toEqual(held?.rows);
      expect(stored.rows, list).toEqual(feed.lists().get(list)?.rows);
    }
    expect((await storedList(keys, 'winners')).sequence).toBe(K + 1);
  });

  it('a restart writes sequence 1 and a snapshot of every list, and readers can replay from it', async () => {
    const { keys, feed, tick } = setup({ lists: SCANNER_LISTS.slice(0, 4) });
    await feed.start();
    await tick();
    await tick();
    expect((await storedList(keys, 'winners')).sequence).toBe(3);

    await tick();
    const restarted = await feed.restart();
    expect(restarted.written.map((w) => [w.list, w.sequence])).toEqual(SCANNER_LISTS.slice(0, 4).map((l) => [l, 1]));
    const entries = await readStream(redis, keys);
    const tail = entries.slice(-4).map((e) => e.entry);
    expect(tail.map((e) => [e.type, e.sequence])).toEqual([
      ['snapshot', 1],
      ['snapshot', 1],
      ['snapshot', 1],
      ['snapshot', 1],
    ]);
    for (const list of SCANNER_LISTS.slice(0, 4)) {
      const stored = await storedList(keys, list);
      expect(stored.sequence).toBe(1);
      const snapshot = tail.find((e) => e.list === list);
      expect(snapshot?.type === 'snapshot' && snapshot.rows).toEqual(stored.rows);
    }

    await tick();
    const replayed = await replay(keys);
    expect(replayed.get('winners')?.sequence).toBe(2);
    expect((await storedList(keys, 'winners')).rows).toEqual(replayed.get('winners')?.rows);
  });

  it('--restart-every N restarts the sequence on every Nth tick', async () => {
    const { keys, feed, tick } = setup({ lists: ['winners'], restartEvery: 3 });
    await feed.start();
    for (let i = 0; i < 6; i++) await tick();
    const seen = (await readStream(redis, keys)).map((e) => `${e.entry.type}:${e.entry.sequence}`);
    expect(seen).toEqual(['snapshot:1', 'delta:2', 'delta:3', 'snapshot:1', 'delta:2', 'delta:3', 'snapshot:1']);
  });

  it('trims the stream with MAXLEN ~ so it never grows without bound', async () => {
    const cap = 20;
    const { keys, feed, tick } = setup({ lists: SCANNER_LISTS }, cap);
    await feed.start();
    let written = SCANNER_LISTS.length;
    for (let i = 0; i < 40; i++) written += (await tick()).written.length;
    const length = await redis.xlen(keys.rankingDeltas);
    expect(written).toBeGreaterThan(300);
    // `~` trims whole radix-tree nodes (stream-node-max-entries, 100 by default) past the cap.
    const [, nodeEntriesText] = (await redis.config('GET', 'stream-node-max-entries')) as [string, string];
    const nodeEntries = Number(nodeEntriesText);
    expect(nodeEntries).toBeGreaterThan(0);
    expect(length).toBeLessThanOrEqual(cap + nodeEntries);
    expect(length).toBeLessThan(written);
    // What is left is the newest entries, in order.
    const entries = await readStream(redis, keys);
    expect(entries.at(-1)?.entry.timestamp).toBe(new Date(START.getTime() + 40 * 2000).toISOString());
  });

  it('writes a list, its sequence and its stream entry together: a reader never sees one without the others', async () => {
    const { keys, feed, tick } = setup({ lists: ['winners', 'high_volume'] });
    const reader = redis.duplicate();
    await feed.start();
    const observed: Array<{ rows: ScannerRow[]; sequence: number; streamSequence: number }> = [];
    let stop = false;
    const reading = (async () => {
      while (!stop) {
        const [[, rowsText], [, seqText], [, last]] = (await reader
          .multi()
          .get(keys.scannerCategory('winners'))
          .get(keys.scannerSequence('winners'))
          .xrevrange(keys.rankingDeltas, '+', '-', 'COUNT', 2)
          .exec()) as [[null, string], [null, string], [null, Array<[string, string[]]>]];
        const rows = decodeScannerRows(rowsText);
        const sequence = decodeSequence(seqText);
        const winnersEntry = last.find(([, fields]) => fields[3] === 'winners');
        if (rows.ok && sequence.ok && winnersEntry) {
          observed.push({ rows: rows.value, sequence: sequence.value, streamSequence: Number(winnersEntry[1][5]) });
        }
      }
    })();
    for (let i = 0; i < 25; i++) await tick();
    stop = true;
    await reading;
    await reader.quit();

    const history = (await replay(keys)).get('winners')?.history;
    expect(observed.length).toBeGreaterThan(0);
    for (const seen of observed) {
      expect(seen.rows).toEqual(history?.get(seen.sequence));
      expect(seen.streamSequence).toBe(seen.sequence);
    }
  });

  it('every entry decodes with decodeRankingStreamEntry and carries ISO timestamps and exact counts', async () => {
    const { keys, feed, tick } = setup({ lists: SCANNER_LISTS.slice(0, 2) });
    await feed.start();
    await tick();
    const raw = await redis.xrange(keys.rankingDeltas, '-', '+');
    expect(raw.length).toBeGreaterThanOrEqual(3);
    for (const [, fields] of raw) {
      expect(fields.filter((_, i) => i % 2 === 0)).toEqual(
        fields[1] === 'snapshot'
          ? ['type', 'list', 'sequence', 'rows', 'timestamp', 'count']
          : ['type', 'list', 'sequence', 'deltas', 'timestamp', 'change_count'],
      );
    }
    // readStream throws on an entry that does not decode.
    expect((await readStream(redis, keys)).length).toBe(raw.length);
  });
});
