import { describe, expect, it } from 'vitest';
import { MAX_CLIENT_MESSAGE_LENGTH } from './client-messages.js';
import { parseClientMessage } from './parse-client-message.js';
import { SCANNER_LISTS } from './scanner-lists.js';

const send = (value: unknown) => parseClientMessage(JSON.stringify(value));

describe('parseClientMessage: valid frames', () => {
  it('reads subscribe_list for every list', () => {
    for (const list of SCANNER_LISTS) {
      expect(send({ action: 'subscribe_list', list })).toEqual({ ok: true, value: { action: 'subscribe_list', list } });
    }
  });

  it('maps the aliases of the original frontend to the canonical actions', () => {
    expect(send({ action: 'subscribe', list: 'winners' })).toEqual({
      ok: true,
      value: { action: 'subscribe_list', list: 'winners' },
    });
    expect(send({ action: 'unsubscribe', list: 'losers' })).toEqual({
      ok: true,
      value: { action: 'unsubscribe_list', list: 'losers' },
    });
  });

  it('reads a resume point', () => {
    expect(send({ action: 'subscribe', list: 'gappers_up', resume: { epoch: '2026-11-20', sequence: 4179 } })).toEqual({
      ok: true,
      value: { action: 'subscribe_list', list: 'gappers_up', resume: { epoch: '2026-11-20', sequence: 4179 } },
    });
  });

  it('treats resume: null as no resume', () => {
    expect(send({ action: 'subscribe_list', list: 'winners', resume: null })).toEqual({
      ok: true,
      value: { action: 'subscribe_list', list: 'winners' },
    });
  });

  it('reads unsubscribe_list, resync and ping', () => {
    expect(send({ action: 'unsubscribe_list', list: 'reversals' })).toEqual({
      ok: true,
      value: { action: 'unsubscribe_list', list: 'reversals' },
    });
    expect(send({ action: 'resync', list: 'new_lows' })).toEqual({ ok: true, value: { action: 'resync', list: 'new_lows' } });
    expect(send({ action: 'ping' })).toEqual({ ok: true, value: { action: 'ping' } });
  });

  it('drops fields it does not know instead of copying them', () => {
    const result = parseClientMessage('{"action":"resync","list":"winners","__proto__":{"admin":true},"extra":1}');
    expect(result).toEqual({ ok: true, value: { action: 'resync', list: 'winners' } });
    expect(result.ok && Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  });
});

describe('parseClientMessage: refused frames', () => {
  it.each([
    ['not JSON', '{action:"ping"}', 'INVALID_JSON'],
    ['empty text', '', 'INVALID_JSON'],
    ['a JSON string', '"ping"', 'INVALID_MESSAGE'],
    ['a JSON array', '[{"action":"ping"}]', 'INVALID_MESSAGE'],
    ['null', 'null', 'INVALID_MESSAGE'],
    ['a number', '1e400', 'INVALID_MESSAGE'],
    ['no action', '{"list":"winners"}', 'INVALID_MESSAGE'],
    ['a numeric action', '{"action":1}', 'INVALID_MESSAGE'],
    ['an action array', '{"action":["ping"]}', 'INVALID_MESSAGE'],
    ['an action only in __proto__', '{"__proto__":{"action":"ping"}}', 'INVALID_MESSAGE'],
    ['an unknown action', '{"action":"subscribe_all"}', 'UNKNOWN_ACTION'],
    ['an action named after an Object method', '{"action":"constructor"}', 'UNKNOWN_ACTION'],
    ['an action named __proto__', '{"action":"__proto__"}', 'UNKNOWN_ACTION'],
    ['a missing list', '{"action":"subscribe_list"}', 'INVALID_MESSAGE'],
    ['a numeric list', '{"action":"subscribe_list","list":3}', 'INVALID_MESSAGE'],
    ['a list array', '{"action":"resync","list":["winners"]}', 'INVALID_MESSAGE'],
    ['a list object', '{"action":"unsubscribe_list","list":{"toString":"winners"}}', 'INVALID_MESSAGE'],
    ['a resume that is not an object', '{"action":"subscribe","list":"winners","resume":7}', 'INVALID_MESSAGE'],
    ['a resume epoch that is no date', '{"action":"subscribe","list":"winners","resume":{"epoch":"2026-02-30","sequence":1}}', 'INVALID_MESSAGE'],
    ['a resume epoch with a time', '{"action":"subscribe","list":"winners","resume":{"epoch":"2026-11-20T00:00:00Z","sequence":1}}', 'INVALID_MESSAGE'],
    ['a negative sequence', '{"action":"subscribe","list":"winners","resume":{"epoch":"2026-11-20","sequence":-1}}', 'INVALID_MESSAGE'],
    ['a huge sequence', '{"action":"subscribe","list":"winners","resume":{"epoch":"2026-11-20","sequence":1e308}}', 'INVALID_MESSAGE'],
    ['an infinite sequence', '{"action":"subscribe","list":"winners","resume":{"epoch":"2026-11-20","sequence":1e999}}', 'INVALID_MESSAGE'],
    ['an unsafe sequence', '{"action":"subscribe","list":"winners","resume":{"epoch":"2026-11-20","sequence":9007199254740993}}', 'INVALID_MESSAGE'],
    ['a sequence as text', '{"action":"subscribe","list":"winners","resume":{"epoch":"2026-11-20","sequence":"5"}}', 'INVALID_MESSAGE'],
  ])('refuses %s', (_label, text, code) => {
    expect(parseClientMessage(text)).toMatchObject({ ok: false, error: { code } });
  });

  it('names the unknown list', () => {
    expect(parseClientMessage('{"action":"subscribe","list":"winnerz"}')).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_LIST', list: 'winnerz', path: 'list' },
    });
    expect(parseClientMessage('{"action":"resync","list":"__proto__"}')).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_LIST', list: '__proto__' },
    });
  });

  it('refuses a list name too long to be one as malformed, without echoing it', () => {
    const result = send({ action: 'subscribe', list: 'x'.repeat(65) });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    expect(!result.ok && 'list' in result.error).toBe(false);
  });

  it('refuses frames over the size limit before parsing them', () => {
    const padded = JSON.stringify({ action: 'ping', pad: 'x'.repeat(MAX_CLIENT_MESSAGE_LENGTH) });
    expect(parseClientMessage(padded)).toMatchObject({ ok: false, error: { code: 'FRAME_TOO_LARGE' } });
    expect(parseClientMessage('x'.repeat(10_000_000))).toMatchObject({ ok: false, error: { code: 'FRAME_TOO_LARGE' } });
  });

  it('survives deep nesting inside the limit', () => {
    const nested = `{"action":"ping","x":${'['.repeat(2000)}${']'.repeat(2000)}}`;
    expect(parseClientMessage(nested)).toEqual({ ok: true, value: { action: 'ping' } });
    const nestedList = `{"action":"resync","list":${'['.repeat(2000)}${']'.repeat(2000)}}`;
    expect(parseClientMessage(nestedList)).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
  });

  it('shortens an attacker-sized action in the message', () => {
    const result = send({ action: 'a'.repeat(3000) });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } });
    expect(!result.ok && result.error.message.length).toBeLessThan(100);
  });

  it('refuses a non-string from untyped callers instead of throwing', () => {
    for (const value of [undefined, null, 42, Buffer.from('{"action":"ping"}'), { action: 'ping' }]) {
      expect(parseClientMessage(value as unknown as string)).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    }
  });
});
