import { nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { CoreError } from './core-error.js';
import { computeSlotAverages, rvolWindow, type SlotSample } from './rvol-averages.js';

describe('rvolWindow', () => {
  it('skips the early-close session and takes the 6th most recent full session instead', () => {
    // 2026-12-01 back: 12-01, 11-30, [11-27 early close], [11-26 Thanksgiving: closed], 11-25, 11-24, 11-23.
    const window = rvolWindow(nyseCalendar, '2026-12-01', 5);
    expect(window.sessions).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-30', '2026-12-01']);
    expect(window.skippedEarlyClose).toEqual(['2026-11-27']);
  });

  it('takes the 5 sessions up to the target when none closes early', () => {
    expect(rvolWindow(nyseCalendar, '2026-11-20', 5)).toEqual({
      sessions: ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'],
      skippedEarlyClose: [],
    });
  });

  it('skips the target itself when it closes early', () => {
    const window = rvolWindow(nyseCalendar, '2026-11-27', 5);
    expect(window.sessions).toEqual(['2026-11-19', '2026-11-20', '2026-11-23', '2026-11-24', '2026-11-25']);
    expect(window.skippedEarlyClose).toEqual(['2026-11-27']);
  });

  it('refuses a count below 1', () => {
    expect(() => rvolWindow(nyseCalendar, '2026-11-20', 0)).toThrow(CoreError);
  });
});

describe('computeSlotAverages', () => {
  const window = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-30', '2026-12-01'];

  /** AAA trades in every window session: slot s of session k (1..5) holds (s + 1) * k. */
  function aaa(): SlotSample[] {
    const out: SlotSample[] = [];
    window.forEach((date, i) => {
      for (let slot = 0; slot < 78; slot++) {
        // Session 2 lost slot 10: it must carry slot 9 (10 * 2 = 20) forward.
        if (i === 1 && slot === 10) continue;
        out.push({ symbol: 'AAA', date, slotNumber: slot, volumeAccumulated: (slot + 1) * (i + 1) });
      }
    });
    return out;
  }

  it('averages per symbol and slot over the window, carrying a missing slot forward (hand-computed)', () => {
    const early: SlotSample[] = [...Array(42).keys()].map((slot) => ({
      symbol: 'AAA',
      date: '2026-11-27',
      slotNumber: slot,
      volumeAccumulated: 1e9,
    }));
    const outside: SlotSample = { symbol: 'AAA', date: '2026-11-20', slotNumber: 0, volumeAccumulated: 1e9 };
    const rows = computeSlotAverages([...aaa(), ...early, outside], window);
    expect(rows).toHaveLength(78);
    const bySlot = new Map(rows.map((r) => [r.slotNumber, r]));
    // (1 + 2 + 3 + 4 + 5) / 5 = 3, times (slot + 1).
    expect(bySlot.get(0)).toEqual({ symbol: 'AAA', slotNumber: 0, avgVolume: 3, sessions: 5 });
    expect(bySlot.get(9)?.avgVolume).toBe(30);
    // (11*1 + 20 + 11*3 + 11*4 + 11*5) / 5 = 163 / 5
    expect(bySlot.get(10)?.avgVolume).toBeCloseTo(32.6, 12);
    expect(bySlot.get(11)?.avgVolume).toBe(36);
    expect(bySlot.get(77)?.avgVolume).toBe(234);
  });

  it('averages a symbol over the sessions it has, and fills leading missing slots with 0', () => {
    const bbb: SlotSample[] = [];
    for (let slot = 0; slot < 78; slot++) {
      bbb.push({ symbol: 'BBB', date: '2026-11-30', slotNumber: slot, volumeAccumulated: 100 });
      if (slot >= 2) bbb.push({ symbol: 'BBB', date: '2026-12-01', slotNumber: slot, volumeAccumulated: 300 });
    }
    const rows = computeSlotAverages([...bbb, ...aaa()], window);
    expect(rows.map((r) => r.symbol)).toEqual([...Array(78).fill('AAA'), ...Array(78).fill('BBB')]);
    const b = rows.filter((r) => r.symbol === 'BBB');
    expect(b.every((r) => r.sessions === 2)).toBe(true);
    expect(b[0]?.avgVolume).toBe(50);
    expect(b[1]?.avgVolume).toBe(50);
    expect(b[2]?.avgVolume).toBe(200);
    expect(b[77]?.avgVolume).toBe(200);
  });

  it('writes nothing for a symbol with no data in the window', () => {
    expect(computeSlotAverages([{ symbol: 'OLD', date: '2026-11-02', slotNumber: 0, volumeAccumulated: 5 }], window)).toEqual([]);
  });

  it('refuses a slot outside the session and a bad volume', () => {
    expect(() => computeSlotAverages([{ symbol: 'A', date: window[0] as string, slotNumber: 78, volumeAccumulated: 1 }], window)).toThrow(
      CoreError,
    );
    expect(() => computeSlotAverages([{ symbol: 'A', date: window[0] as string, slotNumber: 0, volumeAccumulated: -1 }], window)).toThrow(
      CoreError,
    );
  });
});
