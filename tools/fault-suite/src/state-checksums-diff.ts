import { isDeepStrictEqual } from 'node:util';

/** A table's content in two numbers: equal checksums mean equal rows (order-independent). */
export interface TableChecksum {
  readonly rows: number;
  readonly md5: string;
}

/** A table's row count against the number of distinct keys (its primary key, or the whole row). */
export interface KeyCount {
  readonly table: string;
  /** The primary key's columns; empty when the table has none and whole rows were compared. */
  readonly key: readonly string[];
  readonly rows: number;
  readonly distinctKeys: number;
}

/** A Redis key as compared: its type and value, and whether it has a TTL (Redis counts TTLs down in real time). */
export interface KeyState {
  readonly type: string;
  readonly value: unknown;
  readonly hasTtl: boolean;
}

export interface Difference<T> {
  readonly name: string;
  /** undefined: absent on that side. */
  readonly actual: T | undefined;
  readonly expected: T | undefined;
}

/** The entries that differ between two states, by name, sorted: [] when the states are equal. */
export function differences<T>(actual: Readonly<Record<string, T>>, expected: Readonly<Record<string, T>>): Difference<T>[] {
  const names = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort();
  return names
    .filter((name) => !isDeepStrictEqual(actual[name], expected[name]))
    .map((name) => ({ name, actual: actual[name], expected: expected[name] }));
}

/** The tables holding more rows than distinct keys: duplicates a replace or a retry let in. */
export function duplicated(counts: readonly KeyCount[]): KeyCount[] {
  return counts.filter((c) => c.rows !== c.distinctKeys);
}

/** The entries whose name is not in `names`: what a comparison leaves to assertions of its own. */
export function without<T>(state: Readonly<Record<string, T>>, names: readonly string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(state).filter(([name]) => !names.includes(name)));
}

/**
 * Splits a Redis dump into the keys readers use and the `tmp:` keys a writer builds aside before a
 * RENAME. A writer killed mid-build leaves its temporary key behind; that is harmless only while it
 * expires on its own, so those are returned apart, with their TTLs, for the caller to check.
 */
export function splitTemporary<T extends { readonly ttl: number }>(
  dump: ReadonlyMap<string, T>,
  temporaryPrefix = 'tmp:',
): { readonly kept: Map<string, T>; readonly temporary: Map<string, number> } {
  const kept = new Map<string, T>();
  const temporary = new Map<string, number>();
  for (const [name, entry] of dump) {
    if (name.startsWith(temporaryPrefix)) temporary.set(name, entry.ttl);
    else kept.set(name, entry);
  }
  return { kept, temporary };
}
