import { isValidIsoDate } from '@scanner/market-calendar';
import { z } from 'zod';

/** A trading date, `YYYY-MM-DD`, that exists and lies in the calendar's supported years. */
export const isoDateSchema = z.string().refine(isValidIsoDate, {
  error: (issue) => `expected a date as YYYY-MM-DD, got ${JSON.stringify(issue.input)}`,
});

/**
 * An instant as ISO 8601 text. Upstream is Python: `isoformat()` writes microseconds and, for naive
 * datetimes, no offset, so both are accepted; what this service writes is always `toISOString()`.
 */
const isoInstantSchema = z.iso.datetime({ offset: true, local: true });

export const instantSchema = isoInstantSchema.refine((text) => Number.isFinite(Date.parse(text)), {
  error: (issue) => `expected an ISO 8601 instant, got ${JSON.stringify(issue.input)}`,
});

export function isIsoInstant(value: unknown): value is string {
  return instantSchema.safeParse(value).success;
}

/** Sequences and counts: whole, non-negative and exactly representable, whatever the JSON text held. */
export const nonNegativeIntSchema = z.int().nonnegative();
export const positiveIntSchema = z.int().positive();
