import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { err, ok } from './result.js';
import { validateWith } from './validate-with.js';

describe('ok / err', () => {
  it('build the two arms of a Result', () => {
    expect(ok(3)).toEqual({ ok: true, value: 3 });
    expect(err({ code: 'X', message: 'm' })).toEqual({ ok: false, error: { code: 'X', message: 'm' } });
  });
});

describe('validateWith', () => {
  const schema = z.object({
    name: z.string(),
    nested: z.object({ n: z.int() }),
    kind: z.string().refine((s) => s === 'good', { params: { code: 'BAD_KIND' }, error: 'kind is not good' }),
  });

  it('returns the parsed value on success', () => {
    expect(validateWith(schema, { name: 'a', nested: { n: 1 }, kind: 'good' }, 'INVALID')).toEqual({
      ok: true,
      value: { name: 'a', nested: { n: 1 }, kind: 'good' },
    });
  });

  it('reports the first issue with the fallback code and a dotted path', () => {
    const result = validateWith(schema, { name: 'a', nested: { n: 1.5 }, kind: 'good' }, 'INVALID');
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID', path: 'nested.n' } });
    expect(!result.ok && result.error.message).toMatch(/^nested\.n: /);
  });

  it('leaves out the path when the whole value is wrong', () => {
    const result = validateWith(schema, 'not an object', 'INVALID');
    expect(result.ok).toBe(false);
    expect(!result.ok && 'path' in result.error).toBe(false);
  });

  it('uses a refinement code only when the caller declares it', () => {
    const value = { name: 'a', nested: { n: 1 }, kind: 'bad' };
    expect(validateWith(schema, value, 'INVALID', ['BAD_KIND'])).toMatchObject({
      ok: false,
      error: { code: 'BAD_KIND', message: 'kind: kind is not good', path: 'kind' },
    });
    expect(validateWith(schema, value, 'INVALID')).toMatchObject({ ok: false, error: { code: 'INVALID' } });
  });
});
