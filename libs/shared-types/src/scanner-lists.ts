import { z } from 'zod';

/** The categories the upstream scanner ranks; the names are the ones in its Redis keys and on the wire. */
export const SCANNER_LISTS = [
  'winners',
  'losers',
  'gappers_up',
  'gappers_down',
  'momentum_up',
  'momentum_down',
  'new_highs',
  'new_lows',
  'high_volume',
  'anomalies',
  'reversals',
] as const;

export type ScannerList = (typeof SCANNER_LISTS)[number];

const LIST_NAMES: ReadonlySet<string> = new Set(SCANNER_LISTS);

export function isScannerList(value: unknown): value is ScannerList {
  return typeof value === 'string' && LIST_NAMES.has(value);
}

/**
 * Longer than any list name by far: a string past this is garbage, not a misspelt list, and is refused
 * as a malformed message instead of being echoed back in an UNKNOWN_LIST error.
 */
export const MAX_LIST_NAME_LENGTH = 64;

/** A list name from outside: a string that is not one of the 11 reports UNKNOWN_LIST, not a type error. */
export const scannerListSchema = z
  .string()
  .max(MAX_LIST_NAME_LENGTH)
  .refine(isScannerList, {
    params: { code: 'UNKNOWN_LIST' },
    error: (issue) => `unknown list ${JSON.stringify(issue.input)}; expected one of ${SCANNER_LISTS.join(', ')}`,
  });
