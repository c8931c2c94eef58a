import type { ZodType } from 'zod';
import { type DecodeError, type Result, err, ok } from './result.js';

/**
 * Runs a zod schema and reports its first issue as a DecodeError with `code`. A refinement can name a
 * more precise code through `params: { code }` (UNKNOWN_LIST, say); only codes listed in `customCodes`
 * are honoured, so a schema cannot hand back a code the caller's error type does not declare.
 */
export function validateWith<T, C extends string>(
  schema: ZodType<T>,
  value: unknown,
  code: C,
  customCodes: readonly C[] = [],
): Result<T, DecodeError<C>> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  if (issue === undefined) return err({ code, message: 'invalid value' });
  const custom: unknown = issue.code === 'custom' ? issue.params?.['code'] : undefined;
  const chosen = customCodes.find((c) => c === custom) ?? code;
  const path = issue.path.map(String).join('.');
  return err(
    path === ''
      ? { code: chosen, message: issue.message }
      : { code: chosen, message: `${path}: ${issue.message}`, path },
  );
}
