import { newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { CoreError } from './core-error.js';
import { computeVolumeSlots, type VolumeBar } from './volume-slots.js';

/** A 5-minute bar starting at hh:mm New York time. */
function bar(date: string, hour: number, minute: number, volume: number): VolumeBar {
  return { startMs: newYorkInstant(date, hour, minute).getTime(), volume };
}

describe('computeVolumeSlots', () => {
  it('gives 78 slots on a full day, cumulative from pre-market, carried forward over gaps, post-market excluded', () => {
    const date = '2026-11-20';
    const session = nyseCalendar.session(date);
    const result = computeVolumeSlots(
      [
        bar(date, 4, 0, 100),
        bar(date, 9, 0, 50),
        bar(date, 9, 30, 1000),
        // 09:35 missing
        bar(date, 9, 40, 500),
        bar(date, 15, 55, 10),
        bar(date, 16, 0, 9999),
        bar(date, 19, 55, 7777),
      ],
      session,
    );
    expect(result.slots).toHaveLength(78);
    expect(result.preMarketVolume).toBe(150);
    expect(result.barsOutsideDay).toBe(0);
    const v = result.slots.map((s) => s.volumeAccumulated);
    expect(v[0]).toBe(1150);
    expect(v[1]).toBe(1150);
    expect(v[2]).toBe(1650);
    expect(v[76]).toBe(1650);
    expect(v[77]).toBe(1660);
    expect(result.slots.map((s) => s.slotNumber)).toEqual([...Array(78).keys()]);
    // slot_time is the slot's END: 09:35 ET for slot 0, 16:00 ET for slot 77 (EST in November: UTC-5).
    expect(result.slots[0]?.slotTime.toISOString()).toBe('2026-11-20T14:35:00.000Z');
    expect(result.slots[77]?.slotTime.toISOString()).toBe('2026-11-20T21:00:00.000Z');
  });

  it('gives 42 slots ending at 13:00 on an early-close day; the afternoon is post-market', () => {
    const date = '2026-11-27';
    const session = nyseCalendar.session(date);
    const result = computeVolumeSlots([bar(date, 9, 30, 10), bar(date, 12, 55, 5), bar(date, 13, 0, 1000), bar(date, 15, 0, 1000)], session);
    expect(result.slots).toHaveLength(42);
    expect(result.slots[41]?.slotTime.toISOString()).toBe('2026-11-27T18:00:00.000Z');
    expect(result.slots[40]?.volumeAccumulated).toBe(10);
    expect(result.slots[41]?.volumeAccumulated).toBe(15);
  });

  it('follows New York wall time on the Monday after spring-forward (EDT, UTC-4)', () => {
    const date = '2026-03-09';
    const session = nyseCalendar.session(date);
    const result = computeVolumeSlots(
      [
        { startMs: Date.parse('2026-03-09T13:30:00Z'), volume: 7 }, // 09:30 EDT: slot 0
        { startMs: Date.parse('2026-03-09T14:30:00Z'), volume: 11 }, // 10:30 EDT: slot 12
      ],
      session,
    );
    expect(result.slots[0]?.slotTime.toISOString()).toBe('2026-03-09T13:35:00.000Z');
    expect(result.slots[0]?.volumeAccumulated).toBe(7);
    expect(result.slots[11]?.volumeAccumulated).toBe(7);
    expect(result.slots[12]?.volumeAccumulated).toBe(18);
    expect(result.slots[77]?.slotTime.toISOString()).toBe('2026-03-09T20:00:00.000Z');
  });

  it('follows New York wall time on the Monday after fall-back (EST, UTC-5)', () => {
    const date = '2026-11-02';
    const session = nyseCalendar.session(date);
    const result = computeVolumeSlots(
      [
        { startMs: Date.parse('2026-11-02T13:30:00Z'), volume: 3 }, // 08:30 EST: pre-market
        { startMs: Date.parse('2026-11-02T14:30:00Z'), volume: 7 }, // 09:30 EST: slot 0
      ],
      session,
    );
    expect(result.preMarketVolume).toBe(3);
    expect(result.slots[0]?.slotTime.toISOString()).toBe('2026-11-02T14:35:00.000Z');
    expect(result.slots[0]?.volumeAccumulated).toBe(10);
    expect(result.slots[77]?.slotTime.toISOString()).toBe('2026-11-02T21:00:00.000Z');
  });

  it('carries the pre-market cumulative through the slots before a late first trade', () => {
    const date = '2026-11-20';
    const result = computeVolumeSlots([bar(date, 7, 15, 40), bar(date, 10, 0, 60)], nyseCalendar.session(date));
    const v = result.slots.map((s) => s.volumeAccumulated);
    expect(v.slice(0, 6)).toEqual([40, 40, 40, 40, 40, 40]);
    expect(v[6]).toBe(100);
    expect(v[77]).toBe(100);
  });

  it('gives every slot 0 to a symbol that did not trade', () => {
    const result = computeVolumeSlots([], nyseCalendar.session('2026-11-20'));
    expect(result.slots).toHaveLength(78);
    expect(result.slots.every((s) => s.volumeAccumulated === 0)).toBe(true);
  });

  it('ignores and counts bars from another New York day', () => {
    const date = '2026-11-20';
    const result = computeVolumeSlots(
      [bar('2026-11-19', 19, 55, 500), bar(date, 9, 30, 5), bar('2026-11-21', 0, 0, 500)],
      nyseCalendar.session(date),
    );
    expect(result.barsOutsideDay).toBe(2);
    expect(result.slots[77]?.volumeAccumulated).toBe(5);
  });

  it('refuses a negative or non-finite volume and a repeated bar', () => {
    const session = nyseCalendar.session('2026-11-20');
    expect(() => computeVolumeSlots([bar('2026-11-20', 9, 30, -1)], session)).toThrow(CoreError);
    expect(() => computeVolumeSlots([bar('2026-11-20', 9, 30, Number.NaN)], session)).toThrow(CoreError);
    try {
      computeVolumeSlots([bar('2026-11-20', 9, 30, 1), bar('2026-11-20', 9, 30, 2)], session);
      expect.unreachable();
    } catch (error) {
      expect((error as CoreError).code).toBe('DUPLICATE_BARS');
    }
  });
});
