import { nyseCalendar } from '@scanner/market-calendar';
import { decodeRvolAverages } from '@scanner/redis-keys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type VolumeSlotRow, replaceVolumeSlots } from '../../src/db/volume-slots.js';
import { calculateRvolAverages } from '../../src/tasks/calculate-rvol-averages.js';
import { type Harness, createHarness } from '../support/maintenance-harness.js';

/*
 * Hand-computed example. Target 2026-12-01; its 5 full sessions are 11-23, 11-24, 11-25, 11-30 and 12-01:
 * 11-27 (the day after Thanksgiving) closes at 13:00 and is passed over.
 *
 * AAA has value c * (slot + 1) in every session, c = 100, 200, 300, 400, 500 (oldest first), except that
 *   its 11-24 slot 10 is missing (carried from slot 9: 200 * 10 = 2000, not 2200); on the early-close
 *   11-27 it has a huge 10,000 per slot, which must not count.
 *   slot 0:  (100 + 200 + 300 + 400 + 500) / 5 = 300
 *   slot 10: (1100 + 2000 + 3300 + 4400 + 5500) / 5 = 16300 / 5 = 3260
 *   slot 77: 1500 * 78 / 5 = 23400
 * BBB trades in 3 of the 5 sessions: 11-23 only slots 0..9 stored at 30 (then carried), 11-30 at 60
 *   everywhere, 12-01 at 10 * (slot + 1). sessions = 3.
 *   slot 0:  (30 + 60 + 10) / 3 = 33.333...
 *   slot 77: (30 + 60 + 780) / 3 = 290
 */
const WINDOW = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-30', '2026-12-01'];

function rows(symbol: string, date: string, value: (slot: number) => number | null): VolumeSlotRow[] {
  const session = nyseCalendar.session(date);
  const out: VolumeSlotRow[] = [];
  for (let slot = 0; slot < session.slotCount; slot++) {
    const v = value(slot);
    if (v !== null) out.push({ symbol, date, slotNumber: slot, slotTime: new Date(session.marketOpen.getTime() + (slot + 1) * 300_000), volumeAccumulated: v });
  }
  return out;
}

describe('calculate_rvol_averages on a hand-computed example', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ evening: '2026-12-01' });
    const c: Record<string, number> = { '2026-11-23': 100, '2026-11-24': 200, '2026-11-25': 300, '2026-11-30': 400, '2026-12-01': 500 };
    const bbb: Record<string, (slot: number) => number | null> = {
      '2026-11-23': (s) => (s < 10 ? 30 : null),
      '2026-11-30': () => 60,
      '2026-12-01': (s) => 10 * (s + 1),
    };
    for (const date of WINDOW) {
      const aaa = rows('AAA', date, (s) => (date === '2026-11-24' && s === 10 ? null : (c[date] as number) * (s + 1)));
      const b = bbb[date] ? rows('BBB', date, bbb[date]) : [];
      await replaceVolumeSlots(h.db.pool, date, [...aaa, ...b]);
    }
    await replaceVolumeSlots(h.db.pool, '2026-11-27', rows('AAA', '2026-11-27', () => 10_000));
  });
  afterEach(async () => {
    await h.close();
  });

  it('averages full sessions only, carries missing slots, counts the sessions a symbol has', async () => {
    const result = await calculateRvolAverages(h.ctx, '2026-12-01');
    expect(result).toMatchObject({
      status: 'completed',
      counts: { symbols: 2, rows: 156, sessions_used: 5, symbols_with_fewer_sessions: 1 },
      details: { window: WINDOW, skipped_early_close: ['2026-11-27'], sessions_missing: [] },
    });
    const res = await h.db.pool.query<{ symbol: string; slot_number: number; avg_volume: number; sessions: number }>(
      'SELECT symbol, slot_number, avg_volume, sessions FROM volume_slot_averages ORDER BY symbol, slot_number',
    );
    const at = (symbol: string, slot: number) => res.rows.find((r) => r.symbol === symbol && r.slot_number === slot);
    expect(res.rows).toHaveLength(2 * 78);
    expect(at('AAA', 0)).toMatchObject({ avg_volume: 300, sessions: 5 });
    expect(at('AAA', 9)).toMatchObject({ avg_volume: 3000 });
    expect(at('AAA', 10)).toMatchObject({ avg_volume: 3260 });
    expect(at('AAA', 11)).toMatchObject({ avg_volume: 3600 });
    expect(at('AAA', 77)).toMatchObject({ avg_volume: 23400 });
    expect(at('BBB', 0)?.sessions).toBe(3);
    expect(at('BBB', 0)?.avg_volume).toBeCloseTo(100 / 3, 12);
    expect(at('BBB', 77)?.avg_volume).toBeCloseTo(290, 12);

    const cached = decodeRvolAverages(await h.redis.hgetall(h.keys.rvolHistAvg('AAA')));
    expect(cached.ok && cached.value.size).toBe(78);
    expect(cached.ok && [cached.value.get(0), cached.value.get(10), cached.value.get(77)]).toEqual([300, 3260, 23400]);
  });

  it('on the early-close day itself, averages the five full sessions before it', async () => {
    const result = await calculateRvolAverages(h.ctx, '2026-11-27');
    expect(result.details).toMatchObject({
      window: ['2026-11-19', '2026-11-20', '2026-11-23', '2026-11-24', '2026-11-25'],
      sessions_missing: ['2026-11-19', '2026-11-20'],
    });
    const res = await h.db.pool.query<{ avg_volume: number; sessions: number }>(
      "SELECT avg_volume, sessions FROM volume_slot_averages WHERE symbol = 'AAA' AND slot_number = 0",
    );
    expect(res.rows).toEqual([{ avg_volume: 200, sessions: 3 }]);
  });

  it('fails when the target session itself has no slots, rather than averaging the sessions before it', async () => {
    await h.db.pool.query("DELETE FROM volume_slots WHERE date = '2026-12-01'");
    const result = await calculateRvolAverages(h.ctx, '2026-12-01');
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('no volume slots stored for 2026-12-01 itself');
    expect((await h.db.pool.query('SELECT 1 FROM volume_slot_averages')).rows).toEqual([]);
    expect(await h.redis.exists(h.keys.rvolHistAvg('AAA'))).toBe(0);
  });

  it('re-running an older date leaves the newer baseline in the table and in Redis', async () => {
    expect((await calculateRvolAverages(h.ctx, '2026-12-01')).status).toBe('completed');
    const before = await h.db.pool.query('SELECT * FROM volume_slot_averages ORDER BY symbol, slot_number');
    const cachedBefore = await h.redis.hgetall(h.keys.rvolHistAvg('AAA'));

    const older = await calculateRvolAverages(h.ctx, '2026-11-30');
    expect(older).toMatchObject({ status: 'completed', details: { stored: { written: false }, redis: { written: false } } });
    const after = await h.db.pool.query('SELECT * FROM volume_slot_averages ORDER BY symbol, slot_number');
    expect(after.rows).toEqual(before.rows);
    expect((await h.db.pool.query<{ d: string }>('SELECT DISTINCT as_of::text AS d FROM volume_slot_averages')).rows).toEqual([{ d: '2026-12-01' }]);
    expect(await h.redis.hgetall(h.keys.rvolHistAvg('AAA'))).toEqual(cachedBefore);
  });

  it('fails when no session of the window has slots', async () => {
    const result = await calculateRvolAverages(h.ctx, '2026-11-20');
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('no volume slots stored');
  });
});
