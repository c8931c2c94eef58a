import type { DecodeError, Result } from './result.js';
import type { RankingDelta } from './ranking-delta.js';
import type { ScannerRow } from './scanner-row.js';
import { err, ok } from './result.js';
import { quote } from './quote.js';

/**
 * A delta that does not fit the rows it is applied to (adding a symbol already listed, touching one
 * that is not, a rerank whose `old_rank` disagrees). The caller's copy has drifted from upstream's:
 * the only safe reaction is a fresh snapshot, never a guess.
 */
export type DeltaConflict = DecodeError<'DELTA_CONFLICT'>;

/**
 * Applies upstream deltas (DESIGN 4.2) in order and returns the new rows sorted by rank. The input is
 * not modified. A row built from `add`/`update` is the item's `data` with the item's own `symbol` and
 * `rank` on top; `timestamp` is the data's own, else `fallbackTimestamp` (the delta message's), so every
 * row still says when it was produced.
 */
export function applyRankingDeltas(
  rows: readonly ScannerRow[],
  deltas: readonly RankingDelta[],
  fallbackTimestamp: string | number,
): Result<ScannerRow[], DeltaConflict> {
  const bySymbol = new Map<string, ScannerRow>();
  for (const row of rows) bySymbol.set(row.symbol, row);

  for (const [index, delta] of deltas.entries()) {
    const current = bySymbol.get(delta.symbol);
    switch (delta.action) {
      case 'add':
        if (current) return conflict(index, `add of ${quote(delta.symbol)}, which is already listed`);
        bySymbol.set(delta.symbol, rowOf(delta.data, delta.symbol, delta.rank, fallbackTimestamp));
        break;
      case 'update':
        if (!current) return conflict(index, `update of ${quote(delta.symbol)}, which is not listed`);
        bySymbol.set(delta.symbol, rowOf(delta.data, delta.symbol, delta.rank, fallbackTimestamp));
        break;
      case 'rerank':
        if (!current) return conflict(index, `rerank of ${quote(delta.symbol)}, which is not listed`);
        if (current.rank !== delta.old_rank) {
          return conflict(index, `rerank of ${quote(delta.symbol)} from ${delta.old_rank}, but it is at ${current.rank}`);
        }
        bySymbol.set(delta.symbol, { ...current, rank: delta.new_rank });
        break;
      case 'remove':
        if (!current) return conflict(index, `remove of ${quote(delta.symbol)}, which is not listed`);
        bySymbol.delete(delta.symbol);
        break;
    }
  }
  // Stable sort: equal ranks (upstream mid-reshuffle) keep their insertion order.
  return ok([...bySymbol.values()].sort((a, b) => a.rank - b.rank));
}

function rowOf(data: Readonly<Record<string, unknown>>, symbol: string, rank: number, fallbackTimestamp: string | number): ScannerRow {
  const timestamp = data['timestamp'];
  return {
    ...data,
    symbol,
    rank,
    timestamp: typeof timestamp === 'string' || typeof timestamp === 'number' ? timestamp : fallbackTimestamp,
  };
}

function conflict(index: number, message: string): { readonly ok: false; readonly error: DeltaConflict } {
  return err({ code: 'DELTA_CONFLICT', message, path: String(index) });
}
