import { type IsoDate, isValidIsoDate } from '@scanner/market-calendar';
import { type DecodeError, type Result, isIsoInstant, ok, parseJson, validateWith } from '@scanner/shared-types';
import { z } from 'zod';
import { checkDate } from '../key-parts.js';
import { RedisKeyError } from '../redis-key-error.js';
import { encodeCheckedJson } from './value-codec.js';

/** The payload on `trading:new_day`, field for field as the original Python publisher sent it. */
export interface NewDayEvent {
  readonly event: 'new_trading_day';
  readonly date: IsoDate;
  /** ISO instant of the announcement; a bare YYYY-MM-DD from the Python publisher. */
  readonly timestamp: string;
  readonly action: 'clear_caches';
}

export type NewDayEventErrorCode = 'INVALID_JSON' | 'INVALID_PAYLOAD' | 'UNKNOWN_EVENT' | 'INVALID_DATE';

export type NewDayEventError = DecodeError<NewDayEventErrorCode>;

const schema = z.object({
  event: z
    .string()
    .refine((value): value is 'new_trading_day' => value === 'new_trading_day', {
      params: { code: 'UNKNOWN_EVENT' },
      error: (issue) => `expected event "new_trading_day", got ${JSON.stringify(issue.input)}`,
    }),
  date: z.string().refine(isValidIsoDate, {
    params: { code: 'INVALID_DATE' },
    error: (issue) => `expected a date as YYYY-MM-DD, got ${JSON.stringify(issue.input)}`,
  }),
  // The Python publisher wrote `date.today().isoformat()` here, a bare date; a message from it that is
  // still in flight (or replayed) during a cut-over must still clear the caches.
  timestamp: z.string().refine((value) => isIsoInstant(value) || isValidIsoDate(value), {
    error: (issue) => `expected an ISO 8601 instant, got ${JSON.stringify(issue.input)}`,
  }),
  action: z
    .string()
    .refine((value): value is 'clear_caches' => value === 'clear_caches', {
      params: { code: 'UNKNOWN_EVENT' },
      error: (issue) => `expected action "clear_caches", got ${JSON.stringify(issue.input)}`,
    }),
});

/** The announcement of `date` made at `at`. */
export function newDayEvent(date: IsoDate, at: Date): NewDayEvent {
  if (!(at instanceof Date) || !Number.isFinite(at.getTime())) {
    throw new RedisKeyError('INVALID_ARGUMENT', `the announcement time must be a valid Date, got ${String(at)}`);
  }
  return { event: 'new_trading_day', date: checkDate(date), timestamp: at.toISOString(), action: 'clear_caches' };
}

/** The message text, keys in the seed's order. */
export function encodeNewDayEvent(event: NewDayEvent): string {
  const ordered = { event: event.event, date: event.date, timestamp: event.timestamp, action: event.action };
  return encodeCheckedJson(ordered, (value) => validateWith(schema, value, 'INVALID_PAYLOAD'), 'a trading:new_day message');
}

/**
 * Reads a `trading:new_day` message. Fields other than the four are ignored, so a publisher that adds
 * one does not stop older servers from clearing their caches; the four must be exactly right.
 */
export function decodeNewDayEvent(message: string): Result<NewDayEvent, NewDayEventError> {
  const parsed = parseJson(message);
  if (!parsed.ok) return parsed;
  const checked = validateWith<NewDayEvent, NewDayEventErrorCode>(schema, parsed.value, 'INVALID_PAYLOAD', [
    'UNKNOWN_EVENT',
    'INVALID_DATE',
  ]);
  if (!checked.ok) return checked;
  const { event, date, timestamp, action } = checked.value;
  return ok({ event, date, timestamp, action });
}
