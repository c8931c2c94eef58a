import type { RankingDelta, RowData } from './ranking-delta.js';
import type { ScannerRow } from './scanner-row.js';

/**
 * The delta items (DESIGN 4.2) that turn `prev` into `next`, the inverse of `applyRankingDeltas`:
 * `applyRankingDeltas(prev, diffRankings(prev, next), ts)` gives `next` sorted by rank.
 *
 * Removes come first, then reranks, then adds and updates, each group in rank order: a reader that
 * applies items one by one never holds a symbol twice. A row whose fields other than `rank` changed
 * (the timestamp included: it says when the row was produced) is an `update` carrying its new rank; one
 * that only moved is a `rerank`; an identical row gives nothing.
 *
 * Both lists are expected to hold each symbol once (as `validateScannerRows` guarantees) and `next` to
 * have distinct ranks; with tied ranks the round trip keeps the rows but may order the ties differently.
 */
export function diffRankings(prev: readonly ScannerRow[], next: readonly ScannerRow[]): RankingDelta[] {
  const prevBySymbol = new Map<string, ScannerRow>();
  for (const row of prev) prevBySymbol.set(row.symbol, row);
  const nextSymbols = new Set(next.map((row) => row.symbol));
  const nextByRank = [...next].sort((a, b) => a.rank - b.rank);

  const removes: RankingDelta[] = [...prev]
    .sort((a, b) => a.rank - b.rank)
    .filter((row) => !nextSymbols.has(row.symbol))
    .map((row) => ({ action: 'remove', symbol: row.symbol }));
  const reranks: RankingDelta[] = [];
  const upserts: RankingDelta[] = [];

  for (const row of nextByRank) {
    const before = prevBySymbol.get(row.symbol);
    if (before === undefined) {
      upserts.push({ action: 'add', rank: row.rank, symbol: row.symbol, data: dataOf(row) });
    } else if (!sameData(before, row)) {
      upserts.push({ action: 'update', rank: row.rank, symbol: row.symbol, data: dataOf(row) });
    } else if (before.rank !== row.rank) {
      reranks.push({ action: 'rerank', symbol: row.symbol, old_rank: before.rank, new_rank: row.rank });
    }
  }
  return [...removes, ...reranks, ...upserts];
}

/** The row without the fields a delta item carries itself. */
function dataOf(row: ScannerRow): RowData {
  const { symbol: _symbol, rank: _rank, ...data } = row;
  return data;
}

function sameData(a: ScannerRow, b: ScannerRow): boolean {
  return jsonEqual(dataOf(a), dataOf(b));
}

/**
 * Structural equality of JSON values; key order does not matter, because rows that went through
 * `JSON.parse` and rows built in memory list their fields in different orders.
 */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => jsonEqual(item, b[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const leftKeys = Object.keys(left).filter((key) => left[key] !== undefined);
  const rightKeys = Object.keys(right).filter((key) => right[key] !== undefined);
  if (leftKeys.length !== rightKeys.length) return false;
  return leftKeys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]));
}
