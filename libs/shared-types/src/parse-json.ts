import { type DecodeError, type Result, err, ok } from './result.js';

/** `JSON.parse` that reports bad text as a value instead of throwing it. */
export function parseJson(text: string): Result<unknown, DecodeError<'INVALID_JSON'>> {
  if (typeof text !== 'string') return err({ code: 'INVALID_JSON', message: `expected JSON text, got ${typeof text}` });
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return err({ code: 'INVALID_JSON', message: `not valid JSON: ${reason}` });
  }
}
