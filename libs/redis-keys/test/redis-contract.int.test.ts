import { newYorkDateOf, newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import type { RankingDelta } from '@scanner/shared-types';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type DeltaStreamEntry,
  type RedisKeys,
  type SnapshotStreamEntry,
  type TickerMetadata,
  calendarTtlSeconds,
  createRedisKeys,
  decodeAtrData,
  decodeNewDayEvent,
  decodeRankingStreamEntry,
  decodeRvolAverages,
  decodeTickerMetadata,
  encodeAtrData,
  encodeNewDayEvent,
  encodeRankingStreamEntry,
  encodeRvolAverages,
  encodeTickerMetadata,
  newDayEvent,
} from '../src/index.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

const redis = new Redis(REDIS_URL);
const subscribers: Redis[] = [];
const prefixes: string[] = [];

/** Keys under a prefix no other test (or test run) uses, removed again after each test. */
function freshKeys(): RedisKeys {
  const prefix = `test:${crypto.randomUUID().slice(0, 12)}:`;
  prefixes.push(prefix);
  return createRedisKeys(prefix);
}

async function scanAll(pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found.sort();
}

async function subscriber(channel: string): Promise<{ messages: Array<[string, string]>; next: () => Promise<[string, string]> }> {
  const client = new Redis(REDIS_URL);
  subscribers.push(client);
  const messages: Array<[string, string]> = [];
  const waiting: Array<(message: [string, string]) => void> = [];
  client.on('message', (from: string, text: string) => {
    messages.push([from, text]);
    waiting.shift()?.([from, text]);
  });
  await client.subscribe(channel);
  return { messages, next: () => new Promise((resolve) => waiting.push(resolve)) };
}

afterEach(async () => {
  for (const prefix of prefixes.splice(0)) {
    const keys = await scanAll(`${prefix}*`);
    if (keys.length > 0) await redis.unlink(...keys);
  }
  await Promise.all(subscribers.splice(0).map((client) => client.quit()));
});

afterAll(async () => {
  await redis.quit();
});

const rows = [
  { symbol: 'TSLA', rank: 1, timestamp: '2026-11-20T14:31:05.120Z', price: 250.1, change_percent: 9.5 },
  { symbol: 'BRK.B', rank: 2, timestamp: '2026-11-20T14:31:05.120Z', price: 480.2, change_percent: 4.1 },
];
const deltas: RankingDelta[] = [
  { action: 'add', rank: 3, symbol: 'AMD', data: { price: 140, change_percent: 3.9 } },
  { action: 'rerank', symbol: 'BRK.B', old_rank: 2, new_rank: 1 },
  { action: 'update', rank: 2, symbol: 'TSLA', data: { price: 251 } },
  { action: 'remove', symbol: 'AMD' },
];
const snapshot: SnapshotStreamEntry = {
  type: 'snapshot',
  list: 'winners',
  sequence: 1,
  rows,
  timestamp: '2026-11-20T14:31:05.120Z',
  count: 2,
};
const delta: DeltaStreamEntry = {
  type: 'delta',
  list: 'winners',
  sequence: 2,
  deltas,
  timestamp: '2026-11-20T14:31:07.000Z',
  change_count: 4,
};

describe('stream:ranking:deltas against Redis', () => {
  it('gives back through XRANGE and XREAD the entries XADD wrote', async () => {
    const keys = freshKeys();
    await redis.xadd(keys.rankingDeltas, '*', ...encodeRankingStreamEntry(snapshot));
    await redis.xadd(keys.rankingDeltas, '*', ...encodeRankingStreamEntry(delta));

    const ranged = await redis.xrange(keys.rankingDeltas, '-', '+');
    expect(ranged.map(([, fields]) => decodeRankingStreamEntry(fields))).toEqual([
      { ok: true, value: snapshot },
      { ok: true, value: delta },
    ]);

    const read = await redis.xread('COUNT', 10, 'STREAMS', keys.rankingDeltas, '0');
    const entries = read?.[0]?.[1] ?? [];
    expect(entries.map(([, fields]) => decodeRankingStreamEntry(fields))).toEqual([
      { ok: true, value: snapshot },
      { ok: true, value: delta },
    ]);
  });
});

describe('trading:new_day against Redis', () => {
  it('reaches a subscriber of the same prefix, decoded whole, and no subscriber of another', async () => {
    const keys = freshKeys();
    const other = freshKeys();
    const mine = await subscriber(keys.newDayChannel);
    const theirs = await subscriber(other.newDayChannel);
    const event = newDayEvent('2026-11-23', new Date('2026-11-23T08:00:00.015Z'));

    const received = mine.next();
    expect(await redis.publish(keys.newDayChannel, encodeNewDayEvent(event))).toBe(1);
    const [channel, text] = await received;
    expect(channel).toBe(keys.newDayChannel);
    expect(decodeNewDayEvent(text)).toEqual({ ok: true, value: event });

    // Redis delivers one publisher's messages in order: had the first reached `theirs`, it would come first.
    const theirsNext = theirs.next();
    await redis.publish(other.newDayChannel, encodeNewDayEvent(newDayEvent('2026-11-24', new Date('2026-11-24T08:00:00Z'))));
    await theirsNext;
    expect(theirs.messages.map(([from]) => from)).toEqual([other.newDayChannel]);
    expect(mine.messages).toHaveLength(1);
  });
});

describe('per-ticker caches against Redis', () => {
  const now = new Date();
  const sessionDate = nyseCalendar.tradingDayOnOrBefore(newYorkDateOf(now));

  it('round-trips ATR and RVOL hashes and metadata', async () => {
    const keys = freshKeys();
    const atr = { atr: 4.8312345678, atr_percent: 2.0871, date: sessionDate };
    const averages = new Map(Array.from({ length: 78 }, (_, slot) => [slot, 10_000 + slot * 733.25] as [number, number]));
    const metadata: TickerMetadata = {
      symbol: 'BACpB',
      name: 'Bank of America Corp. Preferred Series B',
      market_cap: null,
      sector: 'Finance',
      industry: null,
      float_shares: null,
      shares_outstanding: 7_000_000,
      exchange: 'XNYS',
      type: 'PFD',
      updated_at: now.toISOString(),
    };

    await redis.hset(keys.atrData('BACpB'), encodeAtrData(atr));
    await redis.hset(keys.rvolHistAvg('BACpB'), encodeRvolAverages(averages));
    await redis.set(keys.tickerMetadata('BACpB'), encodeTickerMetadata(metadata));

    expect(decodeAtrData(await redis.hgetall(keys.atrData('BACpB')))).toEqual({ ok: true, value: atr });
    expect(decodeRvolAverages(await redis.hgetall(keys.rvolHistAvg('BACpB')))).toEqual({ ok: true, value: averages });
    expect(decodeTickerMetadata(await redis.get(keys.tickerMetadata('BACpB')))).toEqual({ ok: true, value: metadata });
    expect(decodeAtrData(await redis.hgetall(keys.atrData('NONE')))).toMatchObject({ ok: false, error: { code: 'MISSING' } });
  });

  it('swaps a rebuilt hash in with RENAME, carrying the calendar TTL', async () => {
    const keys = freshKeys();
    const target = keys.rvolHistAvg('AAPL');
    const tmp = keys.tmp(target, 'run1');
    await redis.hset(target, encodeRvolAverages(new Map([[0, 1]])));

    const ttl = calendarTtlSeconds({ sessionDate, now: new Date(), calendar: nyseCalendar });
    await redis.hset(tmp, encodeRvolAverages(new Map([[0, 2], [1, 3]])));
    await redis.multi().expire(tmp, ttl).rename(tmp, target).exec();

    expect(decodeRvolAverages(await redis.hgetall(target))).toEqual({ ok: true, value: new Map([[0, 2], [1, 3]]) });
    expect(await redis.exists(tmp)).toBe(0);
    const left = await redis.ttl(target);
    expect(left).toBeLessThanOrEqual(ttl);
    expect(left).toBeGreaterThanOrEqual(ttl - 1);
    // It outlives the next maintenance run, whatever day of the week the test runs on.
    const nextRun = newYorkInstant(nyseCalendar.nextTradingDay(sessionDate), 17, 0);
    expect(Date.now() + left * 1000).toBeGreaterThan(nextRun.getTime());
  });

  it('finds with SCAN exactly the family keys of its own prefix', async () => {
    const keys = freshKeys();
    const other = freshKeys();
    const stamp = new Date().toISOString();
    const meta = (symbol: string): TickerMetadata => ({
      symbol,
      name: null,
      market_cap: null,
      sector: null,
      industry: null,
      float_shares: null,
      shares_outstanding: null,
      exchange: null,
      type: null,
      updated_at: stamp,
    });
    const mine = ['AAPL', 'BRK.A', 'BRK-B', 'ACAHW'];
    const pipeline = redis.pipeline();
    for (const symbol of mine) pipeline.set(keys.tickerMetadata(symbol), encodeTickerMetadata(meta(symbol)));
    for (const symbol of ['AAPL', 'MSFT']) pipeline.set(other.tickerMetadata(symbol), encodeTickerMetadata(meta(symbol)));
    pipeline.hset(keys.atrData('AAPL'), encodeAtrData({ atr: 1, atr_percent: 1, date: sessionDate }));
    pipeline.set(keys.tmp(keys.tickerMetadata('TSLA'), 'half-built'), encodeTickerMetadata(meta('TSLA')));
    await pipeline.exec();

    const found = await scanAll(keys.patterns.tickerMetadata);
    expect(found).toEqual(mine.map((symbol) => keys.tickerMetadata(symbol)).sort());
    expect(found.map((key) => keys.symbolOf('tickerMetadata', key)).sort()).toEqual([...mine].sort());
    expect(await scanAll(keys.patterns.atrData)).toEqual([keys.atrData('AAPL')]);
    expect(await scanAll(keys.patterns.tmp)).toEqual([keys.tmp(keys.tickerMetadata('TSLA'), 'half-built')]);
  });
});
