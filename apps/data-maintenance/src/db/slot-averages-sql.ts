import { FULL_DAY_SLOTS, isValidIsoDate, type IsoDate } from '@scanner/market-calendar';
import { CoreError } from '../core/core-error.js';
import type { SlotAverage } from '../core/rvol-averages.js';
import { DbError } from './db-error.js';
import { atomically, type Transactional, type TxClient } from './pool.js';
import type { ReplaceResult } from './replace-scope.js';
import { checkDate } from './validate.js';

/** One symbol's averages: `avgVolumes[slot]` for every slot 0..slotCount-1. */
export interface SymbolSlotAverages {
  readonly symbol: string;
  /** Window sessions the symbol has data in (the divisor). */
  readonly sessions: number;
  readonly avgVolumes: readonly number[];
}

/** The session-presence mask is a bigint: one bit per window session. */
const MAX_SESSIONS = 63;

/*
 * The same numbers as computeSlotAverages (core/rvol-averages.ts), computed where the rows are.
 *
 * Float sums depend on the order of the additions, and computeSlotAverages adds each slot's sessions
 * in window order starting from 0. So each session's value is taken apart (sum ... FILTER idx = k, one
 * row per group at most) and added in window order in one expression: 0 + s1 + s2 + ...; an absent
 * session adds 0, which changes nothing (the running sum starting from +0 is never -0).
 *
 * Fast path: each session is read in its own branch ordered by (symbol, slot) — the primary key order
 * within one date — so a merge of the branches feeds (symbol, slot) groups without sorting or hashing
 * the 4.7 million rows of a whole market. A symbol whose groups all hold the same set of sessions and
 * which has every slot is dense: no slot to carry, the fast numbers are final (what the loader always
 * writes: every slot of a full session). Any other symbol is recomputed by the sparse path, which
 * expands each stored row over the missing slots after it (carried) and before the session's first
 * stored slot (0), then averages the same way. The dense symbols come out in primary-key order, so
 * the insert appends to the index instead of scattering over it.
 */
function averagesSql(sessionCount: number, slotCount: number, insertAsOfParam: number | null): string {
  const dates = Array.from({ length: sessionCount }, (_, k) => `$${k + 1}::date`);
  const branches = dates.map(
    (date, k) =>
      `(SELECT symbol, slot_number AS slot, volume_accumulated AS v, ${k + 1} AS idx
        FROM volume_slots WHERE date = ${date} ORDER BY symbol, slot_number)`,
  );
  const inWindowOrder = dates.map((_, k) => `coalesce(sum(v) FILTER (WHERE idx = ${k + 1}), 0::float8)`).join(' + ');
  const average = `(0::float8 + ${inWindowOrder}) / count(*)::float8`;
  const insert =
    insertAsOfParam === null
      ? ''
      : `, stored AS (
          INSERT INTO volume_slot_averages (symbol, slot_number, avg_volume, sessions, as_of)
          SELECT r.symbol, (u.ord - 1)::smallint, u.avg, r.sessions, $${insertAsOfParam}::date
          FROM result r CROSS JOIN LATERAL unnest(r.avgs) WITH ORDINALITY AS u(avg, ord)
        )`;
  return `
WITH slots AS (
  ${branches.join('\n  UNION ALL ')}
), per_slot AS (
  SELECT symbol, slot, ${average} AS avg, count(*)::int AS sessions,
         bit_or(1::bigint << (idx - 1)) AS present,
         bool_and(v >= 0 AND v < 'Infinity'::float8) AS valid
  FROM slots GROUP BY symbol, slot
), per_symbol AS (
  SELECT symbol, max(sessions) AS sessions, array_agg(avg ORDER BY slot) AS avgs,
         count(*) = ${slotCount} AND min(present) = max(present) AS dense,
         bool_and(valid) AND max(slot) < ${slotCount} AS valid
  FROM per_slot GROUP BY symbol
), spread AS (
  SELECT s.symbol, s.idx, g.slot, CASE WHEN g.slot < s.slot THEN 0::float8 ELSE s.v END AS v
  FROM (
    SELECT symbol, array_position(ARRAY[${dates.join(', ')}], date) AS idx, slot_number AS slot,
           volume_accumulated AS v,
           lead(slot_number, 1, ${slotCount}::smallint) OVER w AS next_slot,
           row_number() OVER w = 1 AS first
    FROM volume_slots
    WHERE date = ANY(ARRAY[${dates.join(', ')}]) AND symbol IN (SELECT symbol FROM per_symbol WHERE NOT dense)
    WINDOW w AS (PARTITION BY symbol, date ORDER BY slot_number)
  ) s
  CROSS JOIN LATERAL generate_series(CASE WHEN s.first THEN 0 ELSE s.slot END, s.next_slot - 1) AS g(slot)
), sparse AS (
  SELECT symbol, max(sessions) AS sessions, array_agg(avg ORDER BY slot) AS avgs
  FROM (SELECT symbol, slot, ${average} AS avg, count(*)::int AS sessions FROM spread GROUP BY symbol, slot) x
  GROUP BY symbol
), result AS (
  SELECT symbol, sessions, avgs, valid FROM per_symbol WHERE dense
  UNION ALL
  SELECT p.symbol, s.sessions, s.avgs, p.valid FROM per_symbol p LEFT JOIN sparse s ON s.symbol = p.symbol WHERE NOT p.dense
)${insert}
SELECT symbol, sessions, avgs, valid FROM result`;
}

interface ResultRow {
  readonly symbol: string;
  readonly sessions: number | null;
  readonly avgs: number[] | null;
  readonly valid: boolean;
}

function checkWindow(window: readonly IsoDate[], slotCount: number): IsoDate[] {
  for (const date of window) {
    if (!isValidIsoDate(date)) throw new CoreError('INVALID_ARGUMENT', `window date ${JSON.stringify(date)} is not YYYY-MM-DD`);
  }
  const sessions = [...new Set(window)];
  if (sessions.length > MAX_SESSIONS) {
    throw new DbError('INVALID_ARGUMENT', `the RVOL window holds at most ${MAX_SESSIONS} sessions, got ${sessions.length}`);
  }
  if (!Number.isInteger(slotCount) || slotCount < 1) throw new DbError('INVALID_ARGUMENT', `slotCount must be a positive integer, got ${slotCount}`);
  return sessions;
}

/**
 * The planner misjudges the (symbol, slot) group count by an order of magnitude and would hash (and
 * spill) what arrives already sorted; these hold for this transaction only. extra_float_digits >= 1
 * makes float8 text the shortest exact form, so the numbers read back are the computed ones.
 */
async function planForSortedInput(tx: TxClient): Promise<void> {
  await tx.query('SET LOCAL enable_hashagg = off');
  await tx.query('SET LOCAL max_parallel_workers_per_gather = 0');
  await tx.query('SET LOCAL extra_float_digits = 1');
}

/** The same error computeSlotAverages throws, for the first offending stored row. */
async function throwInvalidRow(tx: TxClient, sessions: readonly IsoDate[], slotCount: number): Promise<never> {
  const res = await tx.query<{ symbol: string; date: string; slot: number; v: number }>(
    `SELECT symbol, date::text AS date, slot_number AS slot, volume_accumulated AS v FROM volume_slots
     WHERE date = ANY($1::date[]) AND (slot_number >= $2 OR NOT (volume_accumulated >= 0 AND volume_accumulated < 'Infinity'::float8))
     ORDER BY symbol, date, slot_number LIMIT 1`,
    [sessions, slotCount],
  );
  const row = res.rows[0];
  if (row === undefined) throw new DbError('INVALID_ROWS', 'volume_slots changed while the averages were computed');
  if (row.slot >= slotCount) {
    throw new CoreError('INVALID_ARGUMENT', `${row.symbol} ${row.date}: slot ${row.slot} is outside 0-${slotCount - 1}`);
  }
  throw new CoreError('INVALID_BAR', `${row.symbol} ${row.date} slot ${row.slot}: volume ${row.v}`);
}

async function runAverages(
  tx: TxClient,
  sessions: readonly IsoDate[],
  slotCount: number,
  asOf: IsoDate | null,
): Promise<SymbolSlotAverages[]> {
  await planForSortedInput(tx);
  const params: unknown[] = [...sessions];
  if (asOf !== null) params.push(asOf);
  const res = await tx.query<ResultRow>(averagesSql(sessions.length, slotCount, asOf === null ? null : sessions.length + 1), params);
  const out: SymbolSlotAverages[] = [];
  for (const row of res.rows) {
    if (!row.valid || row.avgs === null || row.sessions === null) await throwInvalidRow(tx, sessions, slotCount);
    out.push({ symbol: row.symbol, sessions: row.sessions as number, avgVolumes: row.avgs as number[] });
  }
  // computeSlotAverages orders symbols by JavaScript string order, which no database collation promises.
  return out.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}

/**
 * Per symbol and slot, the mean cumulative volume over the window sessions the symbol has data in:
 * exactly computeSlotAverages's numbers, computed in PostgreSQL so only the averages travel.
 */
export async function averageSlotsInDb(
  db: Transactional,
  window: readonly IsoDate[],
  slotCount = FULL_DAY_SLOTS,
): Promise<SymbolSlotAverages[]> {
  const sessions = checkWindow(window, slotCount);
  if (sessions.length === 0) return [];
  return atomically(db, (tx) => runAverages(tx, sessions, slotCount, null));
}

/**
 * volume_slot_averages becomes exactly the averages of the window (as of `asOf`) in one transaction,
 * computed and inserted by one statement; the averages are returned too (for the Redis hashes).
 */
export async function replaceAveragesFromSlots(
  db: Transactional,
  asOf: IsoDate,
  window: readonly IsoDate[],
  slotCount = FULL_DAY_SLOTS,
): Promise<{ readonly averages: SymbolSlotAverages[]; readonly result: ReplaceResult }> {
  checkDate(asOf, 'asOf');
  const sessions = checkWindow(window, slotCount);
  return atomically(db, async (tx) => {
    const deleted = await tx.query('DELETE FROM volume_slot_averages');
    const averages = sessions.length === 0 ? [] : await runAverages(tx, sessions, slotCount, asOf);
    const inserted = averages.reduce((n, a) => n + a.avgVolumes.length, 0);
    return { averages, result: { deleted: deleted.rowCount ?? 0, inserted } };
  });
}

/** The rows of computeSlotAverages's shape: symbols in order, each with its slots in order. */
export function toSlotAverages(list: readonly SymbolSlotAverages[]): SlotAverage[] {
  return list.flatMap((s) => s.avgVolumes.map((avgVolume, slotNumber) => ({ symbol: s.symbol, slotNumber, avgVolume, sessions: s.sessions })));
}
