import { z } from 'zod';
import { instantSchema, isoDateSchema, nonNegativeIntSchema, positiveIntSchema } from './field-schemas.js';
import { parseJson } from './parse-json.js';
import { PROTOCOL_ERROR_CODES } from './protocol-errors.js';
import { quote } from './quote.js';
import { rankingDeltasSchema } from './ranking-delta.js';
import { type DecodeError, type Result, err } from './result.js';
import { MAX_LIST_NAME_LENGTH, scannerListSchema } from './scanner-lists.js';
import { scannerRowsSchema } from './scanner-row.js';
import type { ServerMessage } from './server-messages.js';
import { validateWith } from './validate-with.js';

export type ServerMessageErrorCode = 'INVALID_JSON' | 'INVALID_MESSAGE' | 'UNKNOWN_TYPE' | 'UNKNOWN_LIST';

export type ServerMessageError = DecodeError<ServerMessageErrorCode>;

const list = scannerListSchema;
const epoch = isoDateSchema;

const SCHEMAS: ReadonlyMap<string, z.ZodType<ServerMessage>> = new Map<string, z.ZodType<ServerMessage>>([
  [
    'connected',
    z.object({
      type: z.literal('connected'),
      connection_id: z.string().min(1),
      epoch: epoch.nullable(),
      lists: z.array(list),
      server_time: instantSchema,
    }),
  ],
  [
    'snapshot',
    z
      .object({
        type: z.literal('snapshot'),
        list,
        epoch,
        sequence: nonNegativeIntSchema,
        rows: scannerRowsSchema,
        count: nonNegativeIntSchema,
        timestamp: instantSchema,
      })
      .refine((m) => m.count === m.rows.length, { path: ['count'], error: 'count differs from the number of rows' }),
  ],
  [
    'delta',
    z
      .object({
        type: z.literal('delta'),
        list,
        epoch,
        sequence: positiveIntSchema,
        deltas: rankingDeltasSchema,
        change_count: nonNegativeIntSchema,
        timestamp: instantSchema,
      })
      .refine((m) => m.change_count === m.deltas.length, {
        path: ['change_count'],
        error: 'change_count differs from the number of deltas',
      }),
  ],
  [
    'subscribed_list',
    z.object({ type: z.literal('subscribed_list'), list, epoch: epoch.nullable(), sequence: nonNegativeIntSchema }),
  ],
  ['unsubscribed_list', z.object({ type: z.literal('unsubscribed_list'), list })],
  ['new_day', z.object({ type: z.literal('new_day'), epoch, date: isoDateSchema })],
  ['pong', z.object({ type: z.literal('pong'), timestamp: instantSchema })],
  [
    'error',
    z.object({
      type: z.literal('error'),
      code: z.enum(PROTOCOL_ERROR_CODES),
      message: z.string(),
      // Any short string: for UNKNOWN_LIST it is the bad name the client sent.
      list: z.string().max(MAX_LIST_NAME_LENGTH).exactOptional(),
    }),
  ],
]);

/**
 * Decodes a server frame, for client SDKs and tests. Unknown fields are dropped; an unknown `type`
 * reports UNKNOWN_TYPE so a client can skip messages from a newer server instead of failing on them.
 */
export function parseServerMessage(text: string): Result<ServerMessage, ServerMessageError> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const body = parsed.value;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return err({ code: 'INVALID_MESSAGE', message: 'expected a JSON object with a "type"' });
  }
  const type: unknown = Object.hasOwn(body, 'type') ? (body as { type: unknown }).type : undefined;
  if (typeof type !== 'string') {
    return err({ code: 'INVALID_MESSAGE', message: '"type" must be a string', path: 'type' });
  }
  const schema = SCHEMAS.get(type);
  if (schema === undefined) {
    return err({ code: 'UNKNOWN_TYPE', message: `unknown message type ${quote(type, 64)}`, path: 'type' });
  }
  return validateWith<ServerMessage, ServerMessageErrorCode>(schema, body, 'INVALID_MESSAGE', ['UNKNOWN_LIST']);
}
