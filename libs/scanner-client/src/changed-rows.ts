import type { ScannerRow } from '@scanner/shared-types';

/**
 * Symbols whose row is new in `after` or differs from its row in `before` (any field, rank included).
 * Rows a delta did not touch are the same objects, so the common case costs one identity check.
 */
export function changedSymbols(before: readonly ScannerRow[], after: readonly ScannerRow[]): Set<string> {
  const previous = new Map<string, ScannerRow>();
  for (const row of before) previous.set(row.symbol, row);
  const changed = new Set<string>();
  for (const row of after) {
    const old = previous.get(row.symbol);
    if (old === undefined || !jsonEqual(old, row)) changed.add(row.symbol);
  }
  return changed;
}

/** Structural equality of JSON values (what rows are made of). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => Object.hasOwn(b, key) && jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
