import { describe, expect, it } from 'vitest';
import { DeliveryStats, ListPositions, listIndexOf, mergeWindowReports } from './delivery-stats.js';

describe('ListPositions', () => {
  it('follows a list like a client: in order, gap, stale, and unheld before the snapshot', () => {
    const positions = new ListPositions();
    const winners = listIndexOf('winners');
    expect(positions.onDelta(winners, 5)).toBe('unheld');
    positions.onSnapshot(winners, 5);
    expect(positions.heldCount).toBe(1);
    expect(positions.onDelta(winners, 6)).toBe('in_order');
    expect(positions.onDelta(winners, 6)).toBe('stale');
    expect(positions.onDelta(winners, 9)).toBe('gap');
    expect(positions.onDelta(winners, 10)).toBe('in_order');
  });

  it('drops every list on a new day', () => {
    const positions = new ListPositions();
    positions.onSnapshot(listIndexOf('losers'), 1);
    positions.onSnapshot(listIndexOf('reversals'), 1);
    positions.dropAll();
    expect(positions.heldCount).toBe(0);
    expect(positions.onDelta(listIndexOf('losers'), 2)).toBe('unheld');
  });

  it('knows the 11 lists and nothing else', () => {
    expect(listIndexOf('winners')).toBe(0);
    expect(listIndexOf('reversals')).toBe(10);
    expect(listIndexOf('top_gainers')).toBe(-1);
    expect(listIndexOf(null)).toBe(-1);
  });
});

describe('DeliveryStats', () => {
  it('counts only while the window is open', () => {
    const stats = new DeliveryStats();
    stats.message(100);
    stats.delta('in_order', 5);
    stats.start();
    stats.message(100);
    stats.delta('in_order', 12);
    stats.message(50);
    stats.delta('gap', 30);
    stats.snapshot();
    const report = stats.stop();
    stats.delta('in_order', 1);
    expect(report.counts).toMatchObject({ messages: 2, bytes: 150, deltas: 2, gaps: 1, snapshots: 1 });
    expect(report.latency).toEqual({ buckets: [[12, 1], [30, 1]], count: 2, negative: 0 });
  });

  it('marks every n-th frame of the window for a cross-check', () => {
    const stats = new DeliveryStats(3);
    expect(stats.dueForCrossCheck()).toBe(false);
    stats.start();
    expect([1, 2, 3, 4, 5, 6].map(() => stats.dueForCrossCheck())).toEqual([false, false, true, false, false, true]);
  });

  it('merges the windows of several generators', () => {
    const a = new DeliveryStats();
    const b = new DeliveryStats();
    a.start();
    b.start();
    a.delta('in_order', 3);
    b.delta('stale', 4);
    b.crossCheck(false);
    const merged = mergeWindowReports([a.stop(), b.stop()]);
    expect(merged.counts).toMatchObject({ deltas: 2, stale: 1, crossChecked: 1, crossCheckMismatches: 1 });
    expect(merged.latency.count).toBe(2);
  });
});
