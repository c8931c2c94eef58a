import { z } from 'zod';
import { CLIENT_ACTION_ALIASES, type ClientMessage, MAX_CLIENT_MESSAGE_LENGTH } from './client-messages.js';
import { isoDateSchema, nonNegativeIntSchema } from './field-schemas.js';
import { parseJson } from './parse-json.js';
import { quote } from './quote.js';
import type { ProtocolError, ProtocolErrorCode } from './protocol-errors.js';
import { type Result, err, ok } from './result.js';
import { scannerListSchema } from './scanner-lists.js';
import { validateWith } from './validate-with.js';

type Body = Record<string, unknown>;

const listBody = z.object({ list: scannerListSchema });

// `resume: null` means "nothing to resume", the same as leaving it out.
const subscribeBody = z.object({
  list: scannerListSchema,
  resume: z.object({ epoch: isoDateSchema, sequence: nonNegativeIntSchema }).nullable().optional(),
});

function checkBody<T>(schema: z.ZodType<T>, body: Body): Result<T, ProtocolError> {
  const checked = validateWith<T, ProtocolErrorCode>(schema, body, 'INVALID_MESSAGE', ['UNKNOWN_LIST']);
  if (checked.ok || checked.error.code !== 'UNKNOWN_LIST') return checked;
  return err({ ...checked.error, list: String(body['list']) });
}

type Builder = (body: Body) => Result<ClientMessage, ProtocolError>;

// Each builder copies only the fields it knows, so `__proto__` and other extras never reach the result.
const subscribeList: Builder = (body) => {
  const checked = checkBody(subscribeBody, body);
  if (!checked.ok) return checked;
  const { list, resume } = checked.value;
  return ok(
    resume
      ? { action: 'subscribe_list', list, resume: { epoch: resume.epoch, sequence: resume.sequence } }
      : { action: 'subscribe_list', list },
  );
};

const unsubscribeList: Builder = (body) => {
  const checked = checkBody(listBody, body);
  return checked.ok ? ok({ action: 'unsubscribe_list', list: checked.value.list }) : checked;
};

const resync: Builder = (body) => {
  const checked = checkBody(listBody, body);
  return checked.ok ? ok({ action: 'resync', list: checked.value.list }) : checked;
};

const ping: Builder = () => ok({ action: 'ping' });

const BUILDERS: ReadonlyMap<string, Builder> = new Map([
  ['subscribe_list', subscribeList],
  ['unsubscribe_list', unsubscribeList],
  ['resync', resync],
  ['ping', ping],
]);

function isPlainObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses one client text frame into a canonical message (aliases resolved). Never throws: whatever
 * arrives, the answer is a message or a ProtocolError whose code the server can send back as it is.
 */
export function parseClientMessage(text: string): Result<ClientMessage, ProtocolError> {
  if (typeof text !== 'string') {
    return err({ code: 'INVALID_MESSAGE', message: 'expected a text frame' });
  }
  if (text.length > MAX_CLIENT_MESSAGE_LENGTH) {
    return err({
      code: 'FRAME_TOO_LARGE',
      message: `a client message is at most ${MAX_CLIENT_MESSAGE_LENGTH} characters, got ${text.length}`,
    });
  }
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const body = parsed.value;
  if (!isPlainObject(body)) {
    return err({ code: 'INVALID_MESSAGE', message: 'expected a JSON object with an "action"' });
  }
  const action = Object.hasOwn(body, 'action') ? body['action'] : undefined;
  if (typeof action !== 'string') {
    return err({ code: 'INVALID_MESSAGE', message: '"action" must be a string', path: 'action' });
  }
  const build = BUILDERS.get(CLIENT_ACTION_ALIASES.get(action) ?? action);
  if (build === undefined) {
    return err({ code: 'UNKNOWN_ACTION', message: `unknown action ${quote(action, 64)}`, path: 'action' });
  }
  return build(body);
}
