import { decodeRankingStreamEntry, encodeRankingStreamEntry } from '@scanner/redis-keys';
import { type ScannerList, type ScannerRow, applyRankingDeltas } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import { planDeltas, planSnapshots } from './feed-plan.js';

const T0 = '2026-11-18T15:30:00.000Z';
const T1 = '2026-11-18T15:30:02.000Z';
const row = (symbol: string, rank: number, price: number, timestamp = T0): ScannerRow => ({ symbol, rank, timestamp, price });
const rankings = (entries: Array<[ScannerList, ScannerRow[]]>) => new Map(entries);

describe('planSnapshots', () => {
  it('writes every list as a snapshot with sequence 1, an empty list included', () => {
    const plan = planSnapshots(rankings([['winners', [row('AAA', 1, 10)]], ['reversals', []]]), T0);
    expect(plan.updates.map((u) => [u.list, u.sequence, u.entry.type])).toEqual([
      ['winners', 1, 'snapshot'],
      ['reversals', 1, 'snapshot'],
    ]);
    expect(plan.updates[1]?.entry).toEqual({ type: 'snapshot', list: 'reversals', sequence: 1, rows: [], timestamp: T0, count: 0 });
    expect(plan.lists.get('winners')).toEqual({ sequence: 1, rows: [row('AAA', 1, 10)] });
  });
});

describe('planDeltas', () => {
  const start = planSnapshots(rankings([['winners', [row('AAA', 1, 10), row('BBB', 2, 9)]], ['losers', [row('CCC', 1, 5)]]]), T0);

  it('gives a changed list the next sequence and the diff, and an unchanged one nothing', () => {
    const nextWinners = [row('BBB', 1, 11, T1), row('AAA', 2, 10)];
    const plan = planDeltas(start.lists, rankings([['winners', nextWinners], ['losers', [row('CCC', 1, 5)]]]), T1);
    expect(plan.updates).toHaveLength(1);
    const update = plan.updates[0];
    expect(update?.list).toBe('winners');
    expect(update?.sequence).toBe(2);
    expect(update?.rows).toEqual(nextWinners);
    expect(update?.entry).toMatchObject({ type: 'delta', list: 'winners', sequence: 2, timestamp: T1, change_count: 2 });
    expect(plan.lists.get('winners')?.sequence).toBe(2);
    expect(plan.lists.get('losers')?.sequence).toBe(1);
  });

  it('produces entries that encode, decode and replay to the new rows', () => {
    const nextWinners = [row('DDD', 1, 20, T1), row('AAA', 2, 10)];
    const plan = planDeltas(start.lists, rankings([['winners', nextWinners]]), T1);
    const entry = plan.updates[0]?.entry;
    if (entry?.type !== 'delta') throw new Error('expected a delta');
    const decoded = decodeRankingStreamEntry(encodeRankingStreamEntry(entry));
    expect(decoded).toEqual({ ok: true, value: entry });
    expect(applyRankingDeltas(start.lists.get('winners')?.rows ?? [], entry.deltas, entry.timestamp)).toEqual({ ok: true, value: nextWinners });
  });

  it('starts a list it has not seen with a snapshot', () => {
    const plan = planDeltas(start.lists, rankings([['gappers_up', [row('EEE', 1, 3)]]]), T1);
    expect(plan.updates[0]?.entry).toMatchObject({ type: 'snapshot', list: 'gappers_up', sequence: 1, count: 1 });
  });

  it('does not modify the previous state', () => {
    const before = structuredClone([...start.lists]);
    planDeltas(start.lists, rankings([['winners', []]]), T1);
    expect([...start.lists]).toEqual(before);
  });
});
