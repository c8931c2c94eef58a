import { ManualClock, newYorkInstant } from '@scanner/market-calendar';
import { SCANNER_LISTS, type ScannerRow, applyRankingDeltas } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import type { ListUpdate } from './core/feed-plan.js';
import type { RankingWriter } from './core/ranking-writer.js';
import { type FeedOptions, createFeed } from './feed.js';

/** Keeps what was written, in order; can be told to refuse the next write (a Redis outage). */
class RecordingWriter implements RankingWriter {
  readonly batches: ListUpdate[][] = [];
  failNext = false;

  async write(updates: readonly ListUpdate[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('connection lost');
    }
    this.batches.push([...updates]);
  }
}

const START = newYorkInstant('2026-11-18', 10, 0);

function setup(overrides: Partial<FeedOptions> = {}) {
  const writer = new RecordingWriter();
  const clock = new ManualClock(START);
  const feed = createFeed({ writer, clock, lists: SCANNER_LISTS, rowsPerList: 100, universeSize: 600, seed: 1, ...overrides });
  const tick = async () => {
    clock.advance(2000);
    return feed.tick();
  };
  return { writer, clock, feed, tick };
}

describe('createFeed', () => {
  it('starts with a sequence-1 snapshot of every list, then writes deltas that replay to the current rows', async () => {
    const { writer, feed, tick } = setup();
    const started = await feed.start();
    expect(started.kind).toBe('snapshot');
    expect(started.written.map((w) => [w.list, w.sequence])).toEqual(SCANNER_LISTS.map((l) => [l, 1]));
    expect(started.timestamp).toBe(START.toISOString());

    const replayed = new Map<string, { sequence: number; rows: ScannerRow[] }>();
    for (const u of writer.batches[0] ?? []) {
      if (u.entry.type !== 'snapshot') throw new Error('expected snapshots');
      replayed.set(u.list, { sequence: 1, rows: [...u.entry.rows] });
    }
    for (let i = 0; i < 10; i++) {
      const report = await tick();
      expect(report.kind).toBe('delta');
      expect(report.written.length).toBeGreaterThan(0);
      for (const u of writer.batches.at(-1) ?? []) {
        if (u.entry.type !== 'delta') throw new Error('expected deltas');
        const held = replayed.get(u.list);
        expect(u.sequence).toBe((held?.sequence ?? 0) + 1);
        const applied = applyRankingDeltas(held?.rows ?? [], u.entry.deltas, u.entry.timestamp);
        if (!applied.ok) throw new Error(applied.error.message);
        expect(applied.value).toEqual(u.rows);
        replayed.set(u.list, { sequence: u.sequence, rows: applied.value });
      }
    }
    for (const [list, state] of feed.lists()) expect(replayed.get(list)).toEqual({ sequence: state.sequence, rows: state.rows });
  });

  it('writes only the lists it is configured with, at most rowsPerList rows each', async () => {
    const { writer, feed } = setup({ lists: SCANNER_LISTS.slice(0, 3), rowsPerList: 7 });
    await feed.start();
    expect(writer.batches[0]?.map((u) => u.list)).toEqual(['winners', 'losers', 'gappers_up']);
    for (const u of writer.batches[0] ?? []) expect(u.rows.length).toBeLessThanOrEqual(7);
  });

  it('simulates a scanner restart every N ticks: sequence 1 and snapshots, the market going on', async () => {
    const { feed, tick } = setup({ restartEvery: 3 });
    await feed.start();
    const kinds = [];
    for (let i = 0; i < 7; i++) kinds.push((await tick()).kind);
    expect(kinds).toEqual(['delta', 'delta', 'snapshot', 'delta', 'delta', 'snapshot', 'delta']);
    expect(feed.lists().get('winners')?.sequence).toBe(2);
  });

  it('restart() writes snapshots with sequence 1 on demand', async () => {
    const { feed, tick, clock } = setup();
    await feed.start();
    await tick();
    await tick();
    expect(feed.lists().get('winners')?.sequence).toBe(3);
    clock.advance(2000);
    const report = await feed.restart();
    expect(report.kind).toBe('snapshot');
    expect(report.written.every((w) => w.sequence === 1)).toBe(true);
  });

  it('follows a failed write with snapshots, since what reached Redis is unknown', async () => {
    const { writer, feed, tick } = setup();
    await feed.start();
    await tick();
    writer.failNext = true;
    await expect(tick()).rejects.toThrow('connection lost');
    const after = await tick();
    expect(after.kind).toBe('snapshot');
    expect(after.written.every((w) => w.sequence === 1)).toBe(true);
    expect((await tick()).kind).toBe('delta');
  });

  it('refuses tick() before start() and a call while another is writing, with stable codes', async () => {
    const { feed } = setup();
    await expect(feed.tick()).rejects.toMatchObject({ code: 'NOT_STARTED' });
    const first = feed.start();
    await expect(feed.start()).rejects.toMatchObject({ code: 'BUSY' });
    await first;
  });

  it('stamps the stream entries with the clock and the rows with the time of their last trade', async () => {
    const { writer, feed, tick } = setup();
    await feed.start();
    const report = await tick();
    expect(report.timestamp).toBe(new Date(START.getTime() + 2000).toISOString());
    const stamps = new Set((writer.batches.at(-1) ?? []).flatMap((u) => u.rows.map((r) => r.timestamp)));
    expect([...stamps].every((s) => s === START.toISOString() || s === report.timestamp)).toBe(true);
  });
});
