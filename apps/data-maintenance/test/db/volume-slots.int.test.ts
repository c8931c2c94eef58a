import { newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeVolumeSlots } from '../../src/core/volume-slots.js';
import { createPool } from '../../src/db/pool.js';
import {
  dropExpiredPartitions,
  ensurePartitions,
  listPartitions,
  partitionName,
  volumeSlotsStorage,
} from '../../src/db/volume-slot-partitions.js';
import {
  readSlotsForSessions,
  replaceVolumeSlots,
  symbolsWithSlots,
  toVolumeSlotRows,
  volumeSlotCounts,
  type VolumeSlotRow,
} from '../../src/db/volume-slots.js';
import { createTestDatabase, tableChecksum, type TestDatabase } from '../support/test-database.js';

function dayRows(symbol: string, date: string, volumes: Array<[hour: number, minute: number, volume: number]>): VolumeSlotRow[] {
  const bars = volumes.map(([h, m, v]) => ({ startMs: newYorkInstant(date, h, m).getTime(), volume: v }));
  return toVolumeSlotRows(symbol, date, computeVolumeSlots(bars, nyseCalendar.session(date)).slots);
}

async function tableExists(db: TestDatabase, name: string): Promise<boolean> {
  const res = await db.pool.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [`${db.schema}.${name}`]);
  return res.rows[0]?.present ?? false;
}

describe('volume_slots', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('is natively partitioned here (no TimescaleDB) and refuses rows for a day without a partition', async () => {
    expect(await volumeSlotsStorage(db.pool)).toBe('partitioned');
    await expect(
      db.pool.query(`INSERT INTO volume_slots VALUES ('AAA', '2026-11-20', 0, now(), 1)`),
    ).rejects.toMatchObject({ code: '23514' }); // no partition of relation found for row
  });

  it('creates the day partition on demand plus the next trading days, and loads every slot', async () => {
    const date = '2026-11-25'; // Wednesday before Thanksgiving: the next trading days are 11-27, 11-30, 12-01
    const rows = [...dayRows('AAA', date, [[4, 0, 100], [9, 30, 50]]), ...dayRows('BBB', date, [])];
    const res = await replaceVolumeSlots(db.pool, date, rows);
    expect(res).toEqual({ deleted: 0, inserted: 156 });
    expect((await listPartitions(db.pool)).map((p) => [p.name, p.from, p.to])).toEqual([
      ['volume_slots_p20261125', '2026-11-25', '2026-11-26'],
      ['volume_slots_p20261127', '2026-11-27', '2026-11-28'],
      ['volume_slots_p20261130', '2026-11-30', '2026-12-01'],
      ['volume_slots_p20261201', '2026-12-01', '2026-12-02'],
    ]);
    const back = await readSlotsForSessions(db.pool, [date], ['AAA']);
    expect(back).toEqual(rows.filter((r) => r.symbol === 'AAA'));
    expect(back[0]?.volumeAccumulated).toBe(150);
    expect(await symbolsWithSlots(db.pool, [date])).toEqual(['AAA', 'BBB']);
    expect(Object.fromEntries(await volumeSlotCounts(db.pool, date, date))).toEqual({ [date]: { rows: 156, symbols: 2 } });
  });

  it('an early-close day stores 42 slots', async () => {
    const date = '2026-11-27';
    await replaceVolumeSlots(db.pool, date, dayRows('AAA', date, [[9, 30, 10]]));
    const back = await readSlotsForSessions(db.pool, [date]);
    expect(back).toHaveLength(42);
    expect(back[41]?.slotTime.toISOString()).toBe('2026-11-27T18:00:00.000Z');
  });

  it('replacing a date twice leaves identical rows; a symbols-scoped replace keeps the others', async () => {
    const date = '2026-11-20';
    const rows = [...dayRows('AAA', date, [[9, 30, 10]]), ...dayRows('BBB', date, [[10, 0, 20]])];
    await replaceVolumeSlots(db.pool, date, rows);
    const before = await tableChecksum(db.pool, 'volume_slots', 'symbol, date, slot_number');
    expect(await replaceVolumeSlots(db.pool, date, rows)).toEqual({ deleted: 156, inserted: 156 });
    expect(await tableChecksum(db.pool, 'volume_slots', 'symbol, date, slot_number')).toEqual(before);

    await replaceVolumeSlots(db.pool, date, dayRows('BBB', date, [[10, 0, 99]]), { scope: 'symbols' });
    const back = await readSlotsForSessions(db.pool, [date]);
    expect(back.filter((r) => r.symbol === 'AAA')).toEqual(rows.filter((r) => r.symbol === 'AAA'));
    expect(back.find((r) => r.symbol === 'BBB' && r.slotNumber === 77)?.volumeAccumulated).toBe(99);
  });

  it('refuses a bad batch before touching the stored day', async () => {
    const date = '2026-11-20';
    const rows = dayRows('AAA', date, [[9, 30, 10]]);
    await replaceVolumeSlots(db.pool, date, rows);
    const bad = rows.map((r, i) => (i === 5 ? { ...r, volumeAccumulated: -1 } : r));
    await expect(replaceVolumeSlots(db.pool, date, bad)).rejects.toMatchObject({ code: 'INVALID_ROWS' });
    await expect(replaceVolumeSlots(db.pool, date, [...rows, rows[0] as VolumeSlotRow])).rejects.toMatchObject({ code: 'INVALID_ROWS' });
    expect(await readSlotsForSessions(db.pool, [date])).toEqual(rows);
  });

  it('two loaders creating the same partitions at once both succeed', async () => {
    const other = createPool({ connectionString: db.connectionString, schema: db.schema, max: 2 });
    try {
      const dates = ['2026-11-16', '2026-11-17', '2026-11-18'];
      const [a, b] = await Promise.all([ensurePartitions(db.pool, dates), ensurePartitions(other, dates)]);
      expect([...a, ...b].sort()).toEqual(dates.map(partitionName));
      expect((await listPartitions(db.pool)).map((p) => p.from)).toEqual(dates);
    } finally {
      await other.end();
    }
  });

  it('retention drops whole partitions older than the cutoff (the tables are gone) and keeps the rest', async () => {
    const dates = ['2026-10-30', '2026-11-05', '2026-11-06', '2026-11-09', '2026-11-20'];
    for (const date of dates) await replaceVolumeSlots(db.pool, date, dayRows('AAA', date, [[9, 30, 1]]), { partitionsAhead: 0 });
    const result = await dropExpiredPartitions(db.pool, { today: '2026-11-22', retentionDays: 15 });
    expect(result.cutoff).toBe('2026-11-07');
    expect(result.dropped).toEqual(['volume_slots_p20261030', 'volume_slots_p20261105', 'volume_slots_p20261106']);
    expect(result.kept).toBe(2);
    for (const name of result.dropped) expect(await tableExists(db, name)).toBe(false);
    expect(await tableExists(db, 'volume_slots_p20261109')).toBe(true);
    expect(Object.keys(Object.fromEntries(await volumeSlotCounts(db.pool, '2026-10-01', '2026-11-30')))).toEqual([
      '2026-11-09',
      '2026-11-20',
    ]);
    // Running it again finds nothing more to drop.
    expect((await dropExpiredPartitions(db.pool, { today: '2026-11-22', retentionDays: 15 })).dropped).toEqual([]);
  });

  it('retention never drops a protected date', async () => {
    await replaceVolumeSlots(db.pool, '2026-11-05', dayRows('AAA', '2026-11-05', [[9, 30, 1]]), { partitionsAhead: 0 });
    const result = await dropExpiredPartitions(db.pool, { today: '2026-11-22', retentionDays: 15, protect: ['2026-11-05'] });
    expect(result.dropped).toEqual([]);
    expect(await tableExists(db, 'volume_slots_p20261105')).toBe(true);
  });
});
