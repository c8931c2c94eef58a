import { isUtf8 } from 'node:buffer';
import { MAX_CLIENT_MESSAGE_LENGTH, parseClientMessage } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import { expectedReplies, planSessions } from './frame-fuzzer-plan.js';
import { type FuzzCase, MAX_PENDING_PONGS, generateFuzzCases } from './frame-fuzzer.js';
import { OPCODES, parseClosePayload } from './ws-raw-framer.js';

const LIMITS = { maxPayloadBytes: 8192, maxMessageLength: MAX_CLIENT_MESSAGE_LENGTH };
const cases = generateFuzzCases({ seed: 20_251_126, count: 10_000, ...LIMITS });

/** The data of the case's one message, when its frames make exactly one (fragments joined). */
function messageOf(c: FuzzCase): { opcode: number; data: Buffer } | null {
  const data = c.frames.filter((f) => f.opcode < 0x8);
  if (data.length === 0) return null;
  const [first] = data;
  if (first === undefined || first.opcode === OPCODES.CONTINUATION) return null;
  if (data.some((f, i) => (i === 0 ? f.opcode === OPCODES.CONTINUATION : f.opcode !== OPCODES.CONTINUATION) || f.fin !== (i === data.length - 1))) return null;
  return { opcode: first.opcode, data: Buffer.concat(data.map((f) => f.payload)) };
}

const VALID_OPCODES = new Set([0x0, 0x1, 0x2, 0x8, 0x9, 0xa]);
const validCloseCode = (code: number) => (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);

/** Whether the frames break a rule of RFC 6455 section 5 (the UTF-8 and size limits aside). */
function violatesRfc(c: FuzzCase): boolean {
  let fragmented = false;
  for (const f of c.frames) {
    if (!(f.masked ?? true) || f.rsv !== 0 || !VALID_OPCODES.has(f.opcode)) return true;
    if (f.opcode >= 0x8) {
      if (!f.fin || f.payload.length > 125) return true;
      if (f.opcode === OPCODES.CLOSE && (f.payload.length === 1 || (f.payload.length >= 2 && !validCloseCode(parseClosePayload(f.payload).code)))) return true;
      continue;
    }
    if ((f.opcode === OPCODES.CONTINUATION) !== fragmented) return true;
    fragmented = !f.fin;
  }
  return false;
}

/** What parseClientMessage says to a case's text: NOT_SUBSCRIBED is the server's verdict on a message that parses. */
function parserVerdict(expect: FuzzCase['expect']): string {
  if (expect.kind === 'pong') return 'ok:ping';
  if (expect.kind !== 'error') return expect.kind;
  return expect.code === 'NOT_SUBSCRIBED' ? 'not-subscribed' : `error:${expect.code}`;
}

describe('generateFuzzCases', () => {
  it('is deterministic: the same seed gives the same cases, another seed others', () => {
    expect(generateFuzzCases({ seed: 7, count: 300, ...LIMITS })).toEqual(generateFuzzCases({ seed: 7, count: 300, ...LIMITS }));
    expect(generateFuzzCases({ seed: 8, count: 300, ...LIMITS })).not.toEqual(generateFuzzCases({ seed: 7, count: 300, ...LIMITS }));
  }, 20_000);

  it('covers every category, fragments some messages and keeps connection-ending cases rare', () => {
    const byCategory = new Map<string, number>();
    for (const c of cases) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + 1);
    expect([...byCategory.keys()].sort()).toEqual(
      [
        'bad_action', 'bad_json', 'bad_resume', 'binary', 'client_close', 'deep_nesting', 'invalid_utf8', 'not_object', 'not_subscribed',
        'ping', 'ping_burst', 'ping_flood', 'pong_flood', 'protocol_violation', 'too_long', 'too_many_fragments', 'oversized', 'unknown_action',
        'unknown_list', 'wrong_types',
      ].sort(),
    );
    const fatal = cases.filter((c) => c.expect.kind === 'close').length;
    expect(fatal).toBeGreaterThan(200);
    expect(fatal).toBeLessThan(800);
    expect(cases.filter((c) => c.fragmented).length).toBeGreaterThan(1000);
    expect(cases.filter((c) => c.fragmented && c.pings.length > 0).length).toBeGreaterThan(100);
  }, 20_000);

  it("agrees with the protocol's own parser on every well-formed text message, and none of them subscribes", () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const c of cases) {
      const message = messageOf(c);
      if (c.expect.kind === 'close' || message === null || message.opcode !== OPCODES.TEXT || violatesRfc(c) || !isUtf8(message.data) || message.data.length > LIMITS.maxPayloadBytes) continue;
      const parsed = parseClientMessage(message.data.toString('utf8'));
      const actual = parsed.ok ? `ok:${parsed.value.action}` : `error:${parsed.error.code}`;
      const expected = parserVerdict(c.expect);
      const fits = expected === 'not-subscribed' ? actual === 'ok:unsubscribe_list' || actual === 'ok:resync' : actual === expected;
      if (actual === 'ok:subscribe_list' || !fits) wrong.push(`case ${c.id} (${c.category}) ${JSON.stringify(message.data.toString('utf8').slice(0, 120))}: the parser says ${actual}`);
      checked++;
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(8000);
  }, 20_000);

  it('builds each connection-ending case as it claims', () => {
    const wrong: string[] = [];
    const check = (c: FuzzCase, ok: boolean, what: string) => {
      if (!ok) wrong.push(`case ${c.id} (${c.category}): ${what}`);
    };
    for (const c of cases.filter((x) => x.expect.kind === 'close')) {
      const code = c.expect.kind === 'close' ? c.expect.code : 0;
      switch (c.category) {
        case 'invalid_utf8': {
          const close = c.frames.find((f) => f.opcode === OPCODES.CLOSE);
          const bytes = close === undefined ? messageOf(c)?.data : Buffer.from(close.payload).subarray(2);
          check(c, bytes !== undefined && !isUtf8(bytes) && code === 1007, 'valid UTF-8, or not 1007');
          break;
        }
        case 'oversized':
          check(c, c.frames.reduce((sum, f) => sum + (f.declaredLength ?? f.payload.length), 0) > LIMITS.maxPayloadBytes && code === 1009, 'within the limit, or not 1009');
          break;
        case 'protocol_violation':
          check(c, violatesRfc(c) && code === 1002, 'no RFC 6455 violation, or not 1002');
          break;
        case 'too_many_fragments':
          check(c, c.frames.length > 16_384 && !violatesRfc(c) && code === 1008, 'too few fragments, or not 1008');
          break;
        case 'ping_burst':
          check(c, c.pings.length > MAX_PENDING_PONGS && c.frames.length === c.pings.length && !violatesRfc(c) && code === 1006, 'too few pings, or not 1006');
          break;
        case 'client_close': {
          const frame = c.frames[0];
          check(c, c.frames.length === 1 && frame?.opcode === OPCODES.CLOSE && !violatesRfc(c) && parseClosePayload(frame.payload).code === code, 'not a valid close echoed');
          break;
        }
        default:
          check(c, false, 'should not close the connection');
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  }, 20_000);

  it('keeps the other cases within the limits and lists their pings', () => {
    const wrong: string[] = [];
    for (const c of cases.filter((x) => x.expect.kind !== 'close')) {
      const message = messageOf(c);
      const pings = c.frames.filter((f) => f.opcode === OPCODES.PING).map((f) => Buffer.from(f.payload).toString('hex'));
      const ok =
        !violatesRfc(c) &&
        (message === null || (message.data.length <= LIMITS.maxPayloadBytes && (message.opcode !== OPCODES.TEXT || isUtf8(message.data)))) &&
        JSON.stringify(pings) === JSON.stringify(c.pings.map((p) => Buffer.from(p).toString('hex')));
      if (!ok) wrong.push(`case ${c.id} (${c.category})`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  }, 20_000);

  it('refuses limits under which FRAME_TOO_LARGE cannot happen', () => {
    expect(() => generateFuzzCases({ seed: 1, count: 1, maxPayloadBytes: 4096, maxMessageLength: 4096 })).toThrow(RangeError);
  }, 20_000);
});

describe('planSessions', () => {
  it('keeps the order, caps the messages and pings per connection, puts a closing case last and a cut alone', () => {
    const sessions = planSessions(cases, 100);
    expect(sessions.flat().map((c) => c.id)).toEqual(cases.map((c) => c.id));
    const wrong = sessions.filter((session) => {
      const last = session.at(-1);
      const cut = last?.expect.kind === 'close' && last.expect.code === 1006;
      return (
        session.reduce((sum, c) => sum + c.messages, 0) > 100 ||
        (!cut && session.reduce((sum, c) => sum + c.pings.length, 0) > MAX_PENDING_PONGS) ||
        (cut && session.length !== 1) ||
        session.slice(0, -1).some((c) => c.expect.kind === 'close')
      );
    });
    expect(wrong).toEqual([]);
    expect(sessions.length).toBeGreaterThan(cases.filter((c) => c.expect.kind === 'close').length);
  }, 20_000);

  it('lists the replies a session must get, in order', () => {
    const session = cases.slice(0, 50);
    const replies = expectedReplies(session);
    expect(replies).toHaveLength(session.filter((c) => c.expect.kind === 'error' || c.expect.kind === 'pong').length);
    expect(replies[0]).toEqual(session[0]?.expect.kind === 'pong' ? { type: 'pong' } : { type: 'error', code: (session[0]?.expect as { code: string }).code });
  }, 20_000);
});
