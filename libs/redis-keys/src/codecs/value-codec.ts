import { type DecodeError, type Result, err, parseJson } from '@scanner/shared-types';
import { RedisKeyError } from '../redis-key-error.js';

/**
 * MISSING: the key does not exist (GET gave null, HGETALL gave {}), which callers usually treat
 * differently from a key that holds garbage (INVALID_JSON, INVALID_VALUE).
 */
export type ValueDecodeErrorCode = 'MISSING' | 'INVALID_JSON' | 'INVALID_VALUE';

export type ValueDecodeError = DecodeError<ValueDecodeErrorCode>;

type Validator<T> = (value: unknown) => Result<T, DecodeError>;

export function missing(what: string): { readonly ok: false; readonly error: ValueDecodeError } {
  return err({ code: 'MISSING', message: `${what} is not set` });
}

/** Reports any validator's refusal as INVALID_VALUE, keeping its message and path. */
function asInvalidValue<T>(result: Result<T, DecodeError>): Result<T, ValueDecodeError> {
  if (result.ok) return result;
  const { message, path } = result.error;
  return err(path === undefined ? { code: 'INVALID_VALUE', message } : { code: 'INVALID_VALUE', message, path });
}

/** A GET reply holding JSON: null is MISSING, then the text must parse and validate. */
export function decodeJsonText<T>(text: string | null, what: string, validate: Validator<T>): Result<T, ValueDecodeError> {
  if (text === null || text === undefined) return missing(what);
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  return asInvalidValue(validate(parsed.value));
}

/*
 * Encoders check what they write with the reader's own validator, so nothing is ever stored that a
 * reader would refuse; a refusal here is a bug in the caller, hence a throw.
 */

function refuse(what: string, error: DecodeError): never {
  throw new RedisKeyError('INVALID_VALUE', `refusing to write ${what}: ${error.message}`);
}

/** For values written as text fields: the encoded form goes through the decoder. */
export function checkedEncoding<E>(encoded: E, decode: (encoded: E) => Result<unknown, DecodeError>, what: string): E {
  const decoded = decode(encoded);
  return decoded.ok ? encoded : refuse(what, decoded.error);
}

/**
 * For JSON values: the value is validated before it is serialized, because JSON.stringify turns NaN
 * and Infinity into null, which a nullable field would then accept as "unknown".
 */
export function encodeCheckedJson(value: unknown, validate: Validator<unknown>, what: string): string {
  const checked = validate(value);
  return checked.ok ? JSON.stringify(value) : refuse(what, checked.error);
}
