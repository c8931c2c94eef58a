import { newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeSlotAverages, rvolWindow } from '../../src/core/rvol-averages.js';
import { computeVolumeSlots } from '../../src/core/volume-slots.js';
import { readAverages, replaceAverages, symbolsWithAverages } from '../../src/db/volume-slot-averages.js';
import { readSlotsForSessions, replaceVolumeSlots, toVolumeSlotRows } from '../../src/db/volume-slots.js';
import { createTestDatabase, tableChecksum, type TestDatabase } from '../support/test-database.js';

describe('volume_slot_averages', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('averages stored slots over the 5 full sessions, skipping the early close (hand-computed)', async () => {
    const target = '2026-12-01';
    const window = rvolWindow(nyseCalendar, target, 5);
    // Every trading day from 11-20 to 12-01, early close included: AAA trades 100 * k at 09:30 on the k-th day.
    const days = nyseCalendar.sessionsBetween('2026-11-20', target);
    for (const [k, date] of days.entries()) {
      const volume = date === '2026-11-27' ? 1e9 : 100 * (k + 1);
      const slots = computeVolumeSlots([{ startMs: newYorkInstant(date, 9, 30).getTime(), volume }], nyseCalendar.session(date)).slots;
      await replaceVolumeSlots(db.pool, date, toVolumeSlotRows('AAA', date, slots), { partitionsAhead: 0 });
    }
    // days: 11-20 (k=0), 11-23 (1), 11-24 (2), 11-25 (3), 11-27 (4, early), 11-30 (5), 12-01 (6)
    // window: 11-23, 11-24, 11-25, 11-30, 12-01 -> volumes 200, 300, 400, 600, 700 -> mean 440
    const samples = await readSlotsForSessions(db.pool, window.sessions);
    const averages = computeSlotAverages(samples, window.sessions);
    expect(averages).toHaveLength(78);
    expect(averages.every((a) => a.avgVolume === 440 && a.sessions === 5)).toBe(true);

    await replaceAverages(db.pool, target, averages);
    const stored = (await readAverages(db.pool)).get('AAA') ?? [];
    expect(stored).toHaveLength(78);
    expect(stored[0]).toEqual({ symbol: 'AAA', slotNumber: 0, avgVolume: 440, sessions: 5, asOf: target });
  });

  it('a full replace makes the table exactly the batch; the same batch twice changes nothing', async () => {
    const row = (symbol: string, slotNumber: number, avgVolume: number) => ({ symbol, slotNumber, avgVolume, sessions: 5 });
    await replaceAverages(db.pool, '2026-11-19', [row('OLD', 0, 1), row('AAA', 0, 2)]);
    const batch = [row('AAA', 0, 3), row('AAA', 1, 4), row('BBB', 0, 5)];
    expect(await replaceAverages(db.pool, '2026-11-20', batch)).toEqual({ deleted: 2, inserted: 3 });
    const before = await tableChecksum(db.pool, 'volume_slot_averages', 'symbol, slot_number');
    await replaceAverages(db.pool, '2026-11-20', batch);
    expect(await tableChecksum(db.pool, 'volume_slot_averages', 'symbol, slot_number')).toEqual(before);
    expect(await symbolsWithAverages(db.pool)).toEqual(['AAA', 'BBB']);

    await replaceAverages(db.pool, '2026-11-20', [row('NEW', 0, 9)], { scope: 'symbols' });
    expect(await symbolsWithAverages(db.pool)).toEqual(['AAA', 'BBB', 'NEW']);
    await expect(replaceAverages(db.pool, '2026-11-20', [row('AAA', 78, 1)])).rejects.toMatchObject({ code: 'INVALID_ROWS' });
    expect(await symbolsWithAverages(db.pool)).toEqual(['AAA', 'BBB', 'NEW']);
  });
});
