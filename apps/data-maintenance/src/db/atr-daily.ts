import type { IsoDate } from '@scanner/market-calendar';
import { atomically, type Db, type Transactional } from './pool.js';
import { deleteThenCopy, type ReplaceResult, type ReplaceScope, rowsOfDate } from './replace-scope.js';
import { checkDate, RowProblems } from './validate.js';

export interface AtrRow {
  readonly symbol: string;
  readonly date: IsoDate;
  readonly atr: number;
  readonly atrPercent: number;
}

const SELECT_ATR = `symbol, date::text AS date, atr, atr_percent AS "atrPercent"`;

/** Replaces one date's ATR rows in one transaction (DELETE + COPY); the batch is validated first. */
export async function replaceAtr(
  db: Transactional,
  date: IsoDate,
  rows: readonly AtrRow[],
  options: { readonly scope?: ReplaceScope } = {},
): Promise<ReplaceResult> {
  checkDate(date);
  const problems = new RowProblems(`ATR rows for ${date}`);
  for (const [i, row] of rows.entries()) {
    const key = `row ${i} (${String(row.symbol)})`;
    problems.symbol(row.symbol, key);
    if (row.date !== date) problems.add(`${key}: date ${String(row.date)} is not ${date}`);
    problems.distinct(row.symbol, key, 'symbol');
    problems.finite(row.atr, 'atr', key, { nonNegative: true });
    problems.finite(row.atrPercent, 'atrPercent', key, { nonNegative: true });
  }
  problems.throwIfAny();
  return atomically(db, (tx) =>
    deleteThenCopy(
      tx,
      'atr_daily',
      rowsOfDate(date, options.scope ?? 'date', () => rows.map((r) => r.symbol)),
      ['symbol', 'date', 'atr', 'atr_percent'],
      rows.map((r) => [r.symbol, date, r.atr, r.atrPercent]),
    ),
  );
}

/** Each symbol's most recent ATR (the `latest_atr` view), keyed by symbol. */
export async function readLatestAtr(db: Db, symbols?: readonly string[]): Promise<Map<string, AtrRow>> {
  const res =
    symbols === undefined
      ? await db.query<AtrRow>(`SELECT ${SELECT_ATR} FROM latest_atr ORDER BY symbol`)
      : await db.query<AtrRow>(`SELECT ${SELECT_ATR} FROM latest_atr WHERE symbol = ANY($1::text[]) ORDER BY symbol`, [
          [...symbols],
        ]);
  return new Map(res.rows.map((r) => [r.symbol, r]));
}

/** One date's ATR rows, by symbol. */
export async function readAtr(db: Db, date: IsoDate, symbols?: readonly string[]): Promise<AtrRow[]> {
  checkDate(date);
  const res =
    symbols === undefined
      ? await db.query<AtrRow>(`SELECT ${SELECT_ATR} FROM atr_daily WHERE date = $1 ORDER BY symbol`, [date])
      : await db.query<AtrRow>(`SELECT ${SELECT_ATR} FROM atr_daily WHERE date = $1 AND symbol = ANY($2::text[]) ORDER BY symbol`, [
          date,
          [...symbols],
        ]);
  return res.rows;
}
