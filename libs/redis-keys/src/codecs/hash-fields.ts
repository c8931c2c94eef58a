import { type Result, err, ok, quote } from '@scanner/shared-types';
import { type ValueDecodeError, missing } from './value-codec.js';

/** An HGETALL reply: an empty one is a missing key; anything not a flat object of strings is refused. */
export function readHashReply(hash: unknown, what: string): Result<Readonly<Record<string, string>>, ValueDecodeError> {
  if (hash === null || hash === undefined) return missing(what);
  if (typeof hash !== 'object' || Array.isArray(hash)) {
    return err({ code: 'INVALID_VALUE', message: `${what}: expected a hash reply` });
  }
  const fields = Object.entries(hash);
  if (fields.length === 0) return missing(what);
  for (const [field, value] of fields) {
    if (typeof value !== 'string') {
      return err({ code: 'INVALID_VALUE', message: `${what}: field ${quote(field)} is not text`, path: field });
    }
  }
  return ok(hash as Readonly<Record<string, string>>);
}
