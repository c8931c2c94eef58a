import { describe, expect, it } from 'vitest';
import { parseJson } from './parse-json.js';

describe('parseJson', () => {
  it('parses JSON text of any kind', () => {
    expect(parseJson('{"a":[1,null,"x"]}')).toEqual({ ok: true, value: { a: [1, null, 'x'] } });
    expect(parseJson('42')).toEqual({ ok: true, value: 42 });
  });

  it('reports bad text as INVALID_JSON instead of throwing', () => {
    for (const text of ['', '{', "{'a':1}", 'undefined', '{"a":1}}']) {
      expect(parseJson(text)).toMatchObject({ ok: false, error: { code: 'INVALID_JSON' } });
    }
  });

  it('refuses a non-string from untyped callers', () => {
    expect(parseJson(Buffer.from('{}') as unknown as string)).toMatchObject({ ok: false, error: { code: 'INVALID_JSON' } });
  });

  it('survives very deep nesting', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(parseJson(deep).ok).toBe(true);
  });
});
