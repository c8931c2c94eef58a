import { nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { maintenancePlan } from './bench-plan.js';

describe('maintenancePlan', () => {
  const full = maintenancePlan(false, nyseCalendar);

  it('measures 12,000 tickers three times, the original slot insert on two sample sizes', () => {
    expect(full).toMatchObject({ universe: 12_000, repetitions: 3, originalSlotSample: [300, 600], target: '2026-11-20' });
  });

  it('stores 100 sessions of daily bars before the target: the directly loaded ones plus the setup session', () => {
    expect(full.setupSession).toBe('2026-11-19');
    expect(full.dailyHistory).toHaveLength(99);
    expect(full.dailyHistory.at(-1)).toBe('2026-11-18');
    expect(nyseCalendar.sessionsBetween(full.dailyHistory[0] ?? '', '2026-11-19')).toHaveLength(100);
  });

  it('loads the slots of the four sessions before the setup one, so both RVOL windows are full', () => {
    expect(full.slotHistory).toEqual(['2026-11-12', '2026-11-13', '2026-11-16', '2026-11-17', '2026-11-18'].slice(1));
  });

  it('is small and single-shot with --quick, with enough history for ATR(14)', () => {
    const quick = maintenancePlan(true, nyseCalendar);
    expect(quick).toMatchObject({ universe: 300, repetitions: 1, originalSlotSample: null });
    expect(quick.dailyHistory.length + 1).toBeGreaterThanOrEqual(15);
  });
});
