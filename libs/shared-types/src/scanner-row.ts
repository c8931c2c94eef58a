import { z } from 'zod';
import type { DecodeError, Result } from './result.js';
import { positiveIntSchema } from './field-schemas.js';
import { jsonValueProblem } from './json-limits.js';
import { validateWith } from './validate-with.js';

/**
 * One ranked row of a scanner list. The market fields (price, change_percent, rvol, ...) belong to the
 * upstream scanner and are carried through untouched, so the frontend sees whatever upstream wrote.
 */
export interface ScannerRow {
  readonly symbol: string;
  readonly rank: number;
  /** As upstream writes it: ISO text or epoch number. */
  readonly timestamp: string | number;
  readonly [field: string]: unknown;
}

export const scannerRowSchema = z.looseObject({
  symbol: z.string().min(1),
  rank: positiveIntSchema,
  timestamp: z.union([z.string().min(1), z.number()]),
});

/**
 * Deltas are applied by symbol, so a list holding one symbol twice could not be kept current. A row
 * must also survive being sent on as JSON: read from Redis with 1e400 in it, a client would get null.
 */
export const scannerRowsSchema = z.array(scannerRowSchema).superRefine((rows, ctx) => {
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const problem = jsonValueProblem(row);
    if (problem !== null) ctx.addIssue({ code: 'custom', path: [index], message: problem });
    if (seen.has(row.symbol)) {
      ctx.addIssue({ code: 'custom', path: [index, 'symbol'], message: `duplicate symbol ${JSON.stringify(row.symbol)}` });
    }
    seen.add(row.symbol);
  });
});

export function validateScannerRows(value: unknown): Result<ScannerRow[], DecodeError<'INVALID_ROWS'>> {
  return validateWith(scannerRowsSchema, value, 'INVALID_ROWS');
}
