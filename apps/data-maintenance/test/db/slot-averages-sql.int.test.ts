import { nyseCalendar } from '@scanner/market-calendar';
import { encodeRvolAverages } from '@scanner/redis-keys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlotAverage, computeSlotAverages, rvolWindow } from '../../src/core/rvol-averages.js';
import { averageSlotsInDb, replaceAveragesFromSlots, toSlotAverages } from '../../src/db/slot-averages-sql.js';
import { replaceAverages } from '../../src/db/volume-slot-averages.js';
import { type VolumeSlotRow, readSlotsForSessions, replaceVolumeSlots } from '../../src/db/volume-slots.js';
import { averagesBySymbol } from '../../src/tasks/cache-entries.js';
import { calculateRvolAverages } from '../../src/tasks/calculate-rvol-averages.js';
import { MAX_NAMED } from '../../src/tasks/task-result.js';
import { type Harness, createHarness } from '../support/maintenance-harness.js';
import { type TestDatabase, createTestDatabase, tableChecksum } from '../support/test-database.js';

/*
 * The SQL averaging must give exactly the rows of computeSlotAverages, the reference, on data with every
 * case it handles: dense symbols (the fast path), slots missing anywhere in a session (carried forward),
 * sessions starting late (leading slots 0), symbols missing sessions, an early-close session and a
 * session outside the window that must not count, fractional volumes (the order of the float additions
 * matters) and zeros. Target 2026-12-01: window 11-23, 11-24, 11-25, 11-30, 12-01; 11-27 closes early.
 */
const TARGET = '2026-12-01';
const WINDOW = rvolWindow(nyseCalendar, TARGET, 5);
const EARLY_CLOSE = '2026-11-27';
const OUTSIDE = '2026-11-20';
const LOADED = [OUTSIDE, ...WINDOW.sessions.slice(0, 3), EARLY_CLOSE, ...WINDOW.sessions.slice(3)];

/** mulberry32: a seeded generator, so a failing seed can be replayed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'dense' | 'gaps' | 'late-start' | 'fewer-sessions' | 'outside-only';
const KINDS: readonly Kind[] = ['dense', 'gaps', 'late-start', 'fewer-sessions', 'outside-only'];

/** Random slots for `symbolCount` symbols on every loaded date, grouped by date. */
function randomMarket(seed: number, symbols: readonly string[]): { byDate: Map<string, VolumeSlotRow[]>; kinds: Map<string, Kind> } {
  const random = generator(seed);
  const byDate = new Map<string, VolumeSlotRow[]>(LOADED.map((d) => [d, []]));
  const kinds = new Map<string, Kind>();
  symbols.forEach((symbol, i) => {
    const kind = KINDS[i % KINDS.length] as Kind;
    kinds.set(symbol, kind);
    const fractional = random() < 0.5;
    for (const date of LOADED) {
      const inWindow = WINDOW.sessions.includes(date);
      if (kind === 'outside-only' && inWindow) continue;
      if (kind === 'fewer-sessions' && inWindow && random() < 0.5) continue;
      if (kind === 'gaps' && random() < 0.15) continue;
      const session = nyseCalendar.session(date);
      const start = kind === 'late-start' ? Math.floor(random() * 30) : kind === 'gaps' && random() < 0.3 ? 1 + Math.floor(random() * 5) : 0;
      let cumulative = 0;
      for (let slot = start; slot < session.slotCount; slot++) {
        if (kind === 'gaps' && random() < 0.2) continue;
        if (kind === 'late-start' && slot > start && random() < 0.05) continue;
        const draw = random();
        // Mostly growing cumulative volumes, some zeros, some that fall back (the averaging must not assume order).
        cumulative = draw < 0.05 ? 0 : draw < 0.1 ? random() * 1e6 : cumulative + (fractional ? random() * 12_345.678 : Math.floor(random() * 50_000));
        byDate.get(date)?.push({
          symbol,
          date,
          slotNumber: slot,
          slotTime: new Date(session.marketOpen.getTime() + (slot + 1) * 300_000),
          volumeAccumulated: cumulative,
        });
      }
    }
  });
  return { byDate, kinds };
}

async function load(pool: TestDatabase['pool'], byDate: Map<string, VolumeSlotRow[]>): Promise<void> {
  for (const [date, rows] of byDate) await replaceVolumeSlots(pool, date, rows);
}

async function reference(pool: TestDatabase['pool']): Promise<SlotAverage[]> {
  return computeSlotAverages(await readSlotsForSessions(pool, WINDOW.sessions), WINDOW.sessions);
}

/** Symbols in an order no collation sorts like JavaScript: lower case, dots, digits. */
function symbolNames(count: number): string[] {
  const names = ['b', 'B', 'BRK.A', 'BRK.B', 'A1', 'a.b', 'Z', 'AA'];
  for (let i = 0; names.length < count; i++) names.push(`S${(i * 7919) % 1000}X${i}`);
  return names.slice(0, count);
}

describe('averageSlotsInDb and replaceAveragesFromSlots against computeSlotAverages', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  for (const seed of [1, 2, 3]) {
    it(`gives exactly the reference rows on random slots with gaps, late starts and missing sessions (seed ${seed})`, async () => {
      const { byDate, kinds } = randomMarket(seed, symbolNames(60));
      await load(db.pool, byDate);
      const expected = await reference(db.pool);

      // The data really holds every case (else the comparison proves less than it claims).
      const sessions = new Map(expected.map((r) => [r.symbol, r.sessions]));
      expect([...sessions.values()].some((n) => n < 5)).toBe(true);
      expect([...sessions.values()].some((n) => n === 5)).toBe(true);
      expect([...kinds].filter(([, k]) => k === 'outside-only').every(([s]) => !sessions.has(s))).toBe(true);
      expect(expected.some((r) => r.avgVolume !== Math.round(r.avgVolume))).toBe(true);

      const computed = await averageSlotsInDb(db.pool, WINDOW.sessions);
      expect(toSlotAverages(computed)).toEqual(expected);

      await replaceAverages(db.pool, TARGET, expected);
      const byReference = await tableChecksum(db.pool, 'volume_slot_averages', 'symbol, slot_number');
      await db.pool.query('DELETE FROM volume_slot_averages');
      await replaceAverages(db.pool, '2026-11-19', [{ symbol: 'GONE', slotNumber: 0, avgVolume: 1, sessions: 1 }]);

      const replaced = await replaceAveragesFromSlots(db.pool, TARGET, WINDOW.sessions);
      expect(replaced.result).toEqual({ deleted: 1, inserted: expected.length });
      expect(toSlotAverages(replaced.averages)).toEqual(expected);
      expect(await tableChecksum(db.pool, 'volume_slot_averages', 'symbol, slot_number')).toEqual(byReference);
    });
  }

  it('is exact on a dense market too (every symbol on the fast path)', async () => {
    const { byDate } = randomMarket(9, Array.from({ length: 40 }, (_, i) => `D${i}`));
    // Keep only whole sessions: drop every symbol-day that lacks a slot.
    for (const [date, rows] of byDate) {
      const full = nyseCalendar.session(date).slotCount;
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r.symbol, (counts.get(r.symbol) ?? 0) + 1);
      byDate.set(date, rows.filter((r) => counts.get(r.symbol) === full));
    }
    await load(db.pool, byDate);
    const expected = await reference(db.pool);
    expect(expected.length).toBeGreaterThan(0);
    expect(toSlotAverages(await averageSlotsInDb(db.pool, WINDOW.sessions))).toEqual(expected);
  });

  it('refuses a stored negative volume as the reference does, and leaves the table as it was', async () => {
    const { byDate } = randomMarket(4, symbolNames(10));
    await load(db.pool, byDate);
    await replaceAverages(db.pool, '2026-11-19', [{ symbol: 'KEEP', slotNumber: 0, avgVolume: 1, sessions: 1 }]);
    // Written past the loader's validation, as a manual fix could.
    // 'b' is dense: it has every slot of every session.
    const bad = await db.pool.query(
      `UPDATE volume_slots SET volume_accumulated = CASE WHEN date = '2026-11-24' THEN -1 ELSE 'NaN'::float8 END
       WHERE symbol = 'b' AND ((date = '2026-11-24' AND slot_number = 3) OR (date = '2026-11-25' AND slot_number = 0))`,
    );
    expect(bad.rowCount).toBe(2);

    await expect(reference(db.pool)).rejects.toMatchObject({ code: 'INVALID_BAR', message: 'b 2026-11-24 slot 3: volume -1' });
    await expect(averageSlotsInDb(db.pool, WINDOW.sessions)).rejects.toMatchObject({
      code: 'INVALID_BAR',
      message: 'b 2026-11-24 slot 3: volume -1',
    });
    await expect(replaceAveragesFromSlots(db.pool, TARGET, WINDOW.sessions)).rejects.toMatchObject({ code: 'INVALID_BAR' });
    const kept = await db.pool.query<{ symbol: string }>('SELECT symbol FROM volume_slot_averages');
    expect(kept.rows).toEqual([{ symbol: 'KEEP' }]);
  });

  it('refuses a bad window date with the reference error code', async () => {
    await expect(averageSlotsInDb(db.pool, ['2026-13-01'])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('calculate_rvol_averages writes the reference averages to the table and to Redis', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ evening: TARGET });
  });
  afterEach(async () => {
    await h.close();
  });

  it('on random slots: same rows, same rvol:hist:avg hashes, same fewer-sessions list', async () => {
    const symbols = Array.from({ length: 30 }, (_, i) => `R${String.fromCharCode(65 + (i % 26))}${i}`);
    const { byDate } = randomMarket(5, symbols);
    await load(h.db.pool, byDate);
    const expected = await reference(h.db.pool);

    const result = await calculateRvolAverages(h.ctx, TARGET);
    const bySymbol = averagesBySymbol(expected);
    const fewer = [...new Set(expected.filter((r) => r.sessions < 5).map((r) => r.symbol))];
    expect(result).toMatchObject({
      status: 'completed',
      counts: { symbols: bySymbol.size, rows: expected.length, symbols_with_fewer_sessions: fewer.length },
      details: { symbols_with_fewer_sessions: fewer.slice(0, MAX_NAMED) },
    });

    const stored = await h.db.pool.query<{ symbol: string; slotNumber: number; avgVolume: number; sessions: number }>(
      `SELECT symbol, slot_number AS "slotNumber", avg_volume AS "avgVolume", sessions FROM volume_slot_averages
       WHERE as_of = $1 ORDER BY symbol COLLATE "C", slot_number`,
      [TARGET],
    );
    expect(stored.rows).toEqual(expected);
    for (const [symbol, slots] of bySymbol) {
      expect(await h.redis.hgetall(h.keys.rvolHistAvg(symbol))).toEqual(encodeRvolAverages(slots));
    }
  });
});
