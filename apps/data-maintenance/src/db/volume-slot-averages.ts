import type { IsoDate } from '@scanner/market-calendar';
import type { SlotAverage } from '../core/rvol-averages.js';
import { groupBy } from './group-by.js';
import { atomically, type Db, type Transactional } from './pool.js';
import { deleteThenCopy, type ReplaceResult } from './replace-scope.js';
import { checkDate, RowProblems } from './validate.js';

export interface SlotAverageRow extends SlotAverage {
  /** The target date the averages were computed for. */
  readonly asOf: IsoDate;
}

/**
 * `all`: the table becomes exactly this batch (the daily recompute: symbols that are gone lose their
 * rows). `symbols`: only the batch's symbols are replaced (a recovered ticker). Either way one
 * transaction, so a reader sees the old averages or the new ones, never a mix or nothing.
 */
export type AveragesScope = 'all' | 'symbols';

export async function replaceAverages(
  db: Transactional,
  asOf: IsoDate,
  rows: readonly SlotAverage[],
  options: { readonly scope?: AveragesScope } = {},
): Promise<ReplaceResult> {
  checkDate(asOf, 'asOf');
  const problems = new RowProblems(`volume slot averages as of ${asOf}`);
  for (const [i, row] of rows.entries()) {
    const key = `row ${i} (${String(row.symbol)} slot ${String(row.slotNumber)})`;
    problems.symbol(row.symbol, key);
    problems.slotNumber(row.slotNumber, key);
    if (!Number.isInteger(row.sessions) || row.sessions < 0) problems.add(`${key}: sessions must be a non-negative integer`);
    problems.finite(row.avgVolume, 'avgVolume', key, { nonNegative: true });
    problems.distinct(`${row.symbol}\u0000${row.slotNumber}`, key, '(symbol, slot)');
  }
  problems.throwIfAny();
  const selection =
    (options.scope ?? 'all') === 'all'
      ? { where: '', params: [] }
      : { where: 'WHERE symbol = ANY($1::text[])', params: [[...new Set(rows.map((r) => r.symbol))]] };
  return atomically(db, (tx) =>
    deleteThenCopy(
      tx,
      'volume_slot_averages',
      selection,
      ['symbol', 'slot_number', 'avg_volume', 'sessions', 'as_of'],
      rows.map((r) => [r.symbol, r.slotNumber, r.avgVolume, r.sessions, asOf]),
    ),
  );
}

/** Averages keyed by symbol, each list ordered by slot. */
export async function readAverages(db: Db, symbols?: readonly string[]): Promise<Map<string, SlotAverageRow[]>> {
  const select = `SELECT symbol, slot_number AS "slotNumber", avg_volume AS "avgVolume", sessions, as_of::text AS "asOf"
                  FROM volume_slot_averages`;
  const res =
    symbols === undefined
      ? await db.query<SlotAverageRow>(`${select} ORDER BY symbol, slot_number`)
      : await db.query<SlotAverageRow>(`${select} WHERE symbol = ANY($1::text[]) ORDER BY symbol, slot_number`, [[...symbols]]);
  return groupBy(res.rows, (row) => row.symbol);
}

/** The symbols that have averages, sorted. */
export async function symbolsWithAverages(db: Db): Promise<string[]> {
  const res = await db.query<{ symbol: string }>('SELECT DISTINCT symbol FROM volume_slot_averages ORDER BY symbol');
  return res.rows.map((r) => r.symbol);
}

/**
 * The newest target date the stored averages were computed for (null: none stored). The table holds one
 * baseline per symbol, the newest session's: a re-run of an older date must not replace it.
 */
async function averagesAsOf(db: Db): Promise<IsoDate | null> {
  const res = await db.query<{ as_of: string | null }>('SELECT max(as_of)::text AS as_of FROM volume_slot_averages');
  return res.rows[0]?.as_of ?? null;
}

/**
 * Why averages computed for `date` must not be stored, or null when they may: the table already holds
 * a newer session's baseline, and storing an older one (for all symbols or a few) would roll it back.
 */
export async function newerBaselineThan(db: Db, date: IsoDate): Promise<string | null> {
  const newest = await averagesAsOf(db);
  return newest !== null && newest > date ? `volume_slot_averages holds the baseline of the newer session ${newest}` : null;
}
