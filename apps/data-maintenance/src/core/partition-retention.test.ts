import { describe, expect, it } from 'vitest';
import { CoreError } from './core-error.js';
import { planPartitionRetention, type DatePartition } from './partition-retention.js';

const day = (from: string, to: string): DatePartition => ({ name: `p_${from}`, from, to });

describe('planPartitionRetention', () => {
  const partitions = [
    day('2026-11-20', '2026-11-21'),
    day('2026-11-05', '2026-11-06'),
    day('2026-11-06', '2026-11-07'),
    day('2026-11-07', '2026-11-08'),
  ];

  it('drops whole days before today - retention (15 calendar days), oldest first', () => {
    const plan = planPartitionRetention({ partitions, today: '2026-11-22', retentionDays: 15 });
    expect(plan.cutoff).toBe('2026-11-07');
    expect(plan.drop.map((p) => p.from)).toEqual(['2026-11-05', '2026-11-06']);
    expect(plan.keep.map((p) => p.from)).toEqual(['2026-11-07', '2026-11-20']);
  });

  it('keeps a partition that straddles the cutoff', () => {
    const plan = planPartitionRetention({ partitions: [day('2026-11-05', '2026-11-09')], today: '2026-11-22', retentionDays: 15 });
    expect(plan.drop).toEqual([]);
  });

  it('keeps protected dates whatever their age', () => {
    const plan = planPartitionRetention({ partitions, today: '2026-11-22', retentionDays: 15, protect: ['2026-11-06'] });
    expect(plan.drop.map((p) => p.from)).toEqual(['2026-11-05']);
  });

  it('counts calendar days across a month and a year boundary', () => {
    const plan = planPartitionRetention({
      partitions: [day('2025-12-31', '2026-01-01'), day('2026-01-01', '2026-01-02')],
      today: '2026-01-03',
      retentionDays: 2,
    });
    expect(plan.cutoff).toBe('2026-01-01');
    expect(plan.drop.map((p) => p.from)).toEqual(['2025-12-31']);
  });

  it('refuses a non-positive retention or a bad date', () => {
    expect(() => planPartitionRetention({ partitions, today: '2026-11-22', retentionDays: 0 })).toThrow(CoreError);
    expect(() => planPartitionRetention({ partitions, today: '2026-02-30', retentionDays: 15 })).toThrow(CoreError);
  });
});
