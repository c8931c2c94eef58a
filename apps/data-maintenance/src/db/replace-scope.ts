import type { IsoDate } from '@scanner/market-calendar';
import { type CopyValue, copyRows } from './copy-rows.js';
import { quoteIdent } from './identifiers.js';
import type { TxClient } from './pool.js';

/**
 * What a replace deletes before it loads:
 * - `date`: every row of the date (a full day's load: symbols that vanished from the source go too);
 * - `symbols`: only the rows of the symbols in the batch (adding one recovered ticker's history).
 * Both are idempotent: the same batch twice leaves the same rows.
 */
export type ReplaceScope = 'date' | 'symbols';

export interface ReplaceResult {
  readonly deleted: number;
  readonly inserted: number;
}

/** The rows a replace deletes: a WHERE clause (empty for the whole table) and its parameters. */
export interface RowSelection {
  readonly where: string;
  readonly params: readonly unknown[];
}

/**
 * The rows of `date` a replace of a per-date table deletes under `scope`. `symbols` is only called for
 * the `symbols` scope: a whole day's batch (a million slot rows) is not walked for nothing.
 */
export function rowsOfDate(date: IsoDate, scope: ReplaceScope, symbols: () => Iterable<string>): RowSelection {
  return scope === 'date'
    ? { where: 'WHERE date = $1', params: [date] }
    : { where: 'WHERE date = $1 AND symbol = ANY($2::text[])', params: [date, [...new Set(symbols())]] };
}

/**
 * The body of every replace, inside the caller's transaction: DELETE the selected rows, then COPY the
 * batch in, so a reader sees the old rows or the new ones, never a mix.
 */
export async function deleteThenCopy(
  tx: TxClient,
  table: string,
  selection: RowSelection,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<ReplaceResult> {
  const deleted = await tx.query(`DELETE FROM ${quoteIdent(table)} ${selection.where}`, [...selection.params]);
  const inserted = await copyRows(tx, table, columns, rows);
  return { deleted: deleted.rowCount ?? 0, inserted };
}
