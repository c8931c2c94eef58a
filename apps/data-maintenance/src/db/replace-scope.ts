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
