import pg from 'pg';
import { nyseCalendar, type IsoDate, type TradingCalendar } from '@scanner/market-calendar';
import type { SlotVolume } from '../core/volume-slots.js';
import { atomically, type Db, type Transactional } from './pool.js';
import { deleteThenCopy, type ReplaceResult, type ReplaceScope, rowsOfDate } from './replace-scope.js';
import { checkDate, checkDates, RowProblems } from './validate.js';
import { ensurePartitions } from './volume-slot-partitions.js';

export interface VolumeSlotRow {
  readonly symbol: string;
  readonly date: IsoDate;
  readonly slotNumber: number;
  /** The slot's end instant. */
  readonly slotTime: Date;
  readonly volumeAccumulated: number;
}

/** Default number of trading days after the loaded one whose partitions are created ahead. */
const PARTITIONS_AHEAD = 3;

export interface ReplaceVolumeSlotsOptions {
  readonly scope?: ReplaceScope;
  /** Partitions for this many following trading days are created too (default 3). */
  readonly partitionsAhead?: number;
  readonly calendar?: TradingCalendar;
}

/** Turns a symbol's computed slots into rows for `replaceVolumeSlots`. */
export function toVolumeSlotRows(symbol: string, date: IsoDate, slots: readonly SlotVolume[]): VolumeSlotRow[] {
  return slots.map((s) => ({ symbol, date, slotNumber: s.slotNumber, slotTime: s.slotTime, volumeAccumulated: s.volumeAccumulated }));
}

/**
 * Replaces one session's slots in one transaction (DELETE the date's rows in its partition, COPY the
 * batch). On a pool, the day's partition and the next few trading days' are first created in their
 * own short transaction, so the load does not hold the parent table's lock while it copies; the load
 * transaction checks again (a no-op unless a cleanup raced it).
 */
export async function replaceVolumeSlots(
  db: Transactional,
  date: IsoDate,
  rows: readonly VolumeSlotRow[],
  options: ReplaceVolumeSlotsOptions = {},
): Promise<ReplaceResult> {
  checkDate(date);
  validateRows(date, rows);
  const calendar = options.calendar ?? nyseCalendar;
  const ahead: IsoDate[] = [];
  for (let d = date, i = 0; i < (options.partitionsAhead ?? PARTITIONS_AHEAD); i++) {
    d = calendar.nextTradingDay(d);
    ahead.push(d);
  }
  if (db instanceof pg.Pool) await ensurePartitions(db, [date, ...ahead]);
  return atomically(db, async (tx) => {
    await ensurePartitions(tx, db instanceof pg.Pool ? [date] : [date, ...ahead]);
    return deleteThenCopy(
      tx,
      'volume_slots',
      rowsOfDate(date, options.scope ?? 'date', () => rows.map((r) => r.symbol)),
      ['symbol', 'date', 'slot_number', 'slot_time', 'volume_accumulated'],
      rows.map((r) => [r.symbol, date, r.slotNumber, r.slotTime, r.volumeAccumulated]),
    );
  });
}

/**
 * The stored slots of the given sessions, ordered by symbol, date, slot. For a whole market (12,000
 * symbols x 78 slots x 5 sessions) read in symbol chunks (see `symbolsWithSlots`).
 */
export async function readSlotsForSessions(
  db: Db,
  dates: readonly IsoDate[],
  symbols?: readonly string[],
): Promise<VolumeSlotRow[]> {
  const days = checkDates(dates);
  const params: unknown[] = [days];
  let filter = '';
  if (symbols !== undefined) {
    params.push([...symbols]);
    filter = ' AND symbol = ANY($2::text[])';
  }
  const res = await db.query<VolumeSlotRow>(
    `SELECT symbol, date::text AS date, slot_number AS "slotNumber", slot_time AS "slotTime",
            volume_accumulated AS "volumeAccumulated"
     FROM volume_slots
     WHERE date = ANY($1::date[])${filter}
     ORDER BY symbol, date, slot_number`,
    params,
  );
  return res.rows;
}

/** The symbols with at least one slot on any of the dates, sorted. */
export async function symbolsWithSlots(db: Db, dates: readonly IsoDate[]): Promise<string[]> {
  const res = await db.query<{ symbol: string }>(
    'SELECT DISTINCT symbol FROM volume_slots WHERE date = ANY($1::date[]) ORDER BY symbol',
    [checkDates(dates)],
  );
  return res.rows.map((r) => r.symbol);
}

export interface SlotCount {
  readonly rows: number;
  readonly symbols: number;
}

/** Rows and symbols stored per date over a range (dates without slots are absent). */
export async function volumeSlotCounts(db: Db, from: IsoDate, to: IsoDate): Promise<Map<IsoDate, SlotCount>> {
  const res = await db.query<{ date: string; rows: number; symbols: number }>(
    `SELECT date::text AS date, count(*)::int AS rows, count(DISTINCT symbol)::int AS symbols
     FROM volume_slots WHERE date BETWEEN $1 AND $2 GROUP BY date ORDER BY date`,
    [checkDate(from, 'from'), checkDate(to, 'to')],
  );
  return new Map(res.rows.map((r) => [r.date, { rows: r.rows, symbols: r.symbols }]));
}

function validateRows(date: IsoDate, rows: readonly VolumeSlotRow[]): void {
  const problems = new RowProblems(`volume slots for ${date}`);
  for (const [i, row] of rows.entries()) {
    const key = `row ${i} (${String(row.symbol)} slot ${String(row.slotNumber)})`;
    problems.symbol(row.symbol, key);
    if (row.date !== date) problems.add(`${key}: date ${String(row.date)} is not ${date}`);
    problems.slotNumber(row.slotNumber, key);
    if (!(row.slotTime instanceof Date) || Number.isNaN(row.slotTime.getTime())) problems.add(`${key}: slotTime must be a valid Date`);
    problems.finite(row.volumeAccumulated, 'volumeAccumulated', key, { nonNegative: true });
    problems.distinct(`${row.symbol}\u0000${row.slotNumber}`, key, '(symbol, slot)');
  }
  problems.throwIfAny();
}
