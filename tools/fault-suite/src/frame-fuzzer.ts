import { type ProtocolErrorCode, SCANNER_LISTS } from '@scanner/shared-types';
import { seededRandom } from './seeded-random.js';
import { OPCODES, type RawFrame, closePayload } from './ws-raw-framer.js';

/**
 * A seeded generator of hostile client traffic for the WebSocket server: malformed and mistyped
 * messages, huge numbers, deep nesting, invalid UTF-8, binary and oversized frames, fragmented messages
 * (with pings between the fragments), protocol violations and ping floods. Each case carries what the
 * server must answer, decided here from the case's construction (docs/protocol.md sections 2, 5 and 6,
 * and RFC 6455 for the frame rules), never by asking the server's own parser. Pure: same seed, same cases.
 */

export type FuzzCategory =
  | 'bad_json'
  | 'not_object'
  | 'bad_action'
  | 'unknown_action'
  | 'wrong_types'
  | 'unknown_list'
  | 'bad_resume'
  | 'not_subscribed'
  | 'ping'
  | 'deep_nesting'
  | 'too_long'
  | 'binary'
  | 'ping_flood'
  | 'ping_burst'
  | 'pong_flood'
  | 'invalid_utf8'
  | 'oversized'
  | 'protocol_violation'
  | 'too_many_fragments'
  | 'client_close';

export type FuzzExpectation =
  /** One `error` message with this code; the connection stays open. */
  | { readonly kind: 'error'; readonly code: ProtocolErrorCode }
  /** One `pong` message. */
  | { readonly kind: 'pong' }
  /** No message (control frames only; their pongs are in `pings`). */
  | { readonly kind: 'none' }
  /**
   * The server closes the connection with this code; nothing the case sent after it counts. 1006 (RFC
   * 6455 7.1.5: closed without a close frame) means the server cut the TCP connection.
   */
  | { readonly kind: 'close'; readonly code: number };

export interface FuzzCase {
  readonly id: number;
  readonly category: FuzzCategory;
  readonly frames: readonly RawFrame[];
  readonly expect: FuzzExpectation;
  /** Payloads of the protocol pings among the frames: each comes back as a pong, in order. */
  readonly pings: readonly Uint8Array[];
  /** Data messages (text or binary) the server receives whole: what its rate limiter counts. */
  readonly messages: number;
  /** Whether the case was split into continuation frames. */
  readonly fragmented: boolean;
}

export interface FuzzLimits {
  /** The server's MAX_PAYLOAD_BYTES: a larger message closes the connection with 1009. */
  readonly maxPayloadBytes: number;
  /** MAX_CLIENT_MESSAGE_LENGTH: a longer text within maxPayloadBytes is FRAME_TOO_LARGE. */
  readonly maxMessageLength: number;
}

export interface FuzzOptions extends FuzzLimits {
  readonly seed: number;
  readonly count: number;
  /** Share of text messages sent as several fragments (default 0.2). */
  readonly fragmentRate?: number;
}

/** The actions the protocol knows (aliases included); anything else is UNKNOWN_ACTION. */
export const KNOWN_ACTIONS: ReadonlySet<string> = new Set(['subscribe_list', 'subscribe', 'unsubscribe_list', 'unsubscribe', 'resync', 'ping']);
const LIST_ACTIONS = ['subscribe_list', 'subscribe', 'unsubscribe_list', 'unsubscribe', 'resync'] as const;
const SUBSCRIBE_ACTIONS = ['subscribe_list', 'subscribe'] as const;
const NOT_SUBSCRIBED_ACTIONS = ['unsubscribe_list', 'unsubscribe', 'resync'] as const;
const LISTS: ReadonlySet<string> = new Set(SCANNER_LISTS);
const MAX_LIST_NAME = 64;
const MAX_CONTROL_PAYLOAD = 125;
/**
 * ws answers pings itself and cuts a peer with more pongs than this still unsent (its maxPendingAutoPongs
 * default). Pings that arrive together are answered in one tick, so more of them at once than this is
 * a cut even for a peer that reads.
 */
export const MAX_PENDING_PONGS = 60;

class Dice {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(length: number): Uint8Array {
    return Uint8Array.from({ length }, () => this.int(0, 255));
  }
  ascii(length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ -.:/'): string {
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[this.int(0, alphabet.length - 1)];
    return text;
  }
  /** Any code point but lone surrogates: BMP letters, CJK, emoji, controls. */
  unicode(length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) {
      const range = this.pick([
        [0x00, 0x7f],
        [0x80, 0x7ff],
        [0x800, 0xd7ff],
        [0xe000, 0xfffd],
        [0x1f300, 0x1faff],
        [0x10000, 0x10ffff],
      ] as const);
      text += String.fromCodePoint(this.int(range[0], range[1]));
    }
    return text;
  }
}

/** JSON number tokens no JavaScript value prints as: past the double range, below it, unsafe integers. */
const HUGE_NUMBERS = ['1e999', '-1e999', '1e308', '123456789012345678901234567890', '1e-999', '-0', '9007199254740993', '0.1e400', '4.9e-324'];
const BAD_JSON = [
  '',
  ' ',
  '\t\n',
  '{',
  '}',
  '{action:ping}',
  "{'action':'ping'}",
  '{"action":"ping",}',
  '{"action":"ping"}}',
  '{"action":"ping"}{"action":"ping"}',
  '{"action":"ping"} x',
  'undefined',
  'NaN',
  'Infinity',
  '-',
  '01',
  '.5',
  '+1',
  '0x10',
  '[1,]',
  '"\\x41"',
  '"unterminated',
  'tru',
  'nul',
  '/* */{}',
  '{"action":"ping" // comment\n}',
  '{"action":"\u0001"}',
  '{"a":1 "b":2}',
];
const UNKNOWN_ACTIONS = [
  '',
  'PING',
  'Ping',
  ' ping',
  'ping ',
  'ping\u0000',
  'p\u0456ng',
  'subscribe_lists',
  'Subscribe',
  'unsubscribe_all',
  'resync_all',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'snapshot',
  'delta',
];
const UNKNOWN_LISTS = ['', 'WINNERS', 'winners ', ' winners', 'top_gainers', '__proto__', 'constructor', 'toString', 'all', '*', 'winners\u0000', 'l\u00f6sers'];
/** `resume` values that are not `{epoch, sequence}` of a real date and a whole number >= 0 (null is valid, so absent). */
const BAD_RESUMES = [
  '"yesterday"',
  '5',
  '[]',
  'true',
  '{}',
  '{"epoch":"2025-11-26"}',
  '{"sequence":3}',
  '{"epoch":"2025-13-40","sequence":1}',
  '{"epoch":"2026-02-30","sequence":1}',
  '{"epoch":"1800-01-01","sequence":1}',
  '{"epoch":"25-11-26","sequence":1}',
  '{"epoch":20251126,"sequence":1}',
  '{"epoch":null,"sequence":1}',
  '{"epoch":"2025-11-26","sequence":-1}',
  '{"epoch":"2025-11-26","sequence":1.5}',
  '{"epoch":"2025-11-26","sequence":"3"}',
  '{"epoch":"2025-11-26","sequence":9007199254740993}',
  '{"epoch":"2025-11-26","sequence":1e999}',
  '{"epoch":"2025-11-26","sequence":null}',
  '{"epoch":"2025-11-26","sequence":[1]}',
];
/** Byte sequences RFC 3629 forbids: bad leads, lone continuations, overlongs, surrogates, past U+10FFFF, truncations. */
const INVALID_UTF8 = [[0xff], [0xfe], [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98]];
/** Close codes RFC 6455 7.4 forbids on the wire (ws's isValidStatusCode). */
const INVALID_CLOSE_CODES = [0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535];
const VALID_CLOSE_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4001, 4999];

interface Built {
  readonly category: FuzzCategory;
  readonly frames: RawFrame[];
  readonly expect: FuzzExpectation;
  readonly pings?: Uint8Array[];
  /** A single text message that may be split into fragments. */
  readonly fragmentable?: boolean;
}

const error = (code: ProtocolErrorCode): FuzzExpectation => ({ kind: 'error', code });
const closeWith = (code: number): FuzzExpectation => ({ kind: 'close', code });
const text = (body: string | Uint8Array): RawFrame => ({ fin: true, rsv: 0, opcode: OPCODES.TEXT, payload: typeof body === 'string' ? Buffer.from(body, 'utf8') : body });
const control = (opcode: number, payload: Uint8Array, overrides: Partial<RawFrame> = {}): RawFrame => ({ fin: true, rsv: 0, opcode, payload, ...overrides });

function isJson(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/** A JSON value of some type other than string, as text. */
function nonString(d: Dice): string {
  return d.pick(['1', '0', '-7', '3.14', 'null', 'true', 'false', '[]', '["winners"]', '{}', '{"name":"winners"}', ...HUGE_NUMBERS]);
}

/** Extra fields a message may carry: the protocol ignores unknown ones, whatever their shape or size. */
function junkFields(d: Dice, budget: number): string {
  const parts: string[] = [];
  for (let i = d.int(0, 3); i > 0; i--) {
    let key = d.pick(['x', 'padding', '__proto__', 'constructor', 'prototype', d.ascii(d.int(1, 12)), 'action2', 'list2']);
    if (['action', 'list', 'resume'].includes(key)) key = `${key}_`;
    const depth = d.int(1, 200);
    const value = d.pick([
      () => d.pick(HUGE_NUMBERS),
      () => JSON.stringify(d.unicode(d.int(0, 40))),
      () => `${'['.repeat(depth)}${']'.repeat(depth)}`,
      () => nonString(d),
      () => JSON.stringify(d.ascii(d.int(0, Math.floor(budget / 4)))),
    ])();
    parts.push(`${JSON.stringify(key)}:${value}`);
  }
  const joined = parts.join(',');
  return joined.length > budget ? '' : joined;
}

function objectWith(fields: readonly string[]): string {
  return `{${fields.filter((f) => f !== '').join(',')}}`;
}

const GENERATORS: Readonly<Record<FuzzCategory, (d: Dice, limits: FuzzLimits) => Built>> = {
  bad_json(d) {
    const kind = d.int(0, 3);
    let body: string;
    if (kind === 0) {
      body = d.pick(BAD_JSON);
    } else if (kind === 1) {
      // A valid message cut short is never JSON: an object needs its closing brace.
      const whole = JSON.stringify({ action: d.pick([...LIST_ACTIONS, 'ping']), list: d.pick(SCANNER_LISTS) });
      body = whole.slice(0, d.int(1, whole.length - 1));
    } else {
      do {
        body = kind === 2 ? `{${d.unicode(d.int(1, 60))}` : d.ascii(d.int(1, 80), '{}[]":,\\ abcnulltruefalse0123456789.-+eE');
      } while (isJson(body));
    }
    return { category: 'bad_json', frames: [text(body)], expect: error('INVALID_JSON'), fragmentable: true };
  },
  not_object(d) {
    const body = d.pick([
      () => d.pick(HUGE_NUMBERS),
      () => JSON.stringify(d.unicode(d.int(0, 50))),
      () => d.pick(['null', 'true', 'false', '[]', '[{"action":"ping"}]', '"{\\"action\\":\\"ping\\"}"', '0', '-1.5e10']),
    ])();
    return { category: 'not_object', frames: [text(body)], expect: error('INVALID_MESSAGE'), fragmentable: true };
  },
  bad_action(d) {
    const body = d.pick([
      () => '{}',
      () => objectWith([`"action":${nonString(d)}`, junkFields(d, 500)]),
      () => objectWith([`"list":${JSON.stringify(d.pick(SCANNER_LISTS))}`]),
      () => objectWith([`"Action":"ping"`]),
      () => '{"__proto__":{"action":"ping"}}',
      () => '{"constructor":{"prototype":{"action":"ping"}}}',
    ])();
    return { category: 'bad_action', frames: [text(body)], expect: error('INVALID_MESSAGE'), fragmentable: true };
  },
  unknown_action(d) {
    let action = d.chance(0.5) ? d.pick(UNKNOWN_ACTIONS) : d.chance(0.5) ? d.ascii(d.int(1, 100)) : d.unicode(d.int(1, 30));
    if (KNOWN_ACTIONS.has(action)) action = `${action}!`;
    const body = objectWith([`"action":${JSON.stringify(action)}`, `"list":${JSON.stringify(d.pick(SCANNER_LISTS))}`, junkFields(d, 500)]);
    return { category: 'unknown_action', frames: [text(body)], expect: error('UNKNOWN_ACTION'), fragmentable: true };
  },
  wrong_types(d) {
    const action = d.pick(LIST_ACTIONS);
    const list = d.pick([() => '', () => `"list":${nonString(d)}`, () => `"list":${JSON.stringify(d.ascii(d.int(MAX_LIST_NAME + 1, 300)))}`])();
    const body = objectWith([`"action":${JSON.stringify(action)}`, list, junkFields(d, 300)]);
    return { category: 'wrong_types', frames: [text(body)], expect: error('INVALID_MESSAGE'), fragmentable: true };
  },
  unknown_list(d) {
    let list = d.chance(0.5) ? d.pick(UNKNOWN_LISTS) : d.ascii(d.int(1, MAX_LIST_NAME));
    if (LISTS.has(list)) list = `${list}_`;
    const body = objectWith([`"action":${JSON.stringify(d.pick(LIST_ACTIONS))}`, `"list":${JSON.stringify(list)}`]);
    return { category: 'unknown_list', frames: [text(body)], expect: error('UNKNOWN_LIST'), fragmentable: true };
  },
  bad_resume(d) {
    const body = objectWith([`"action":${JSON.stringify(d.pick(SUBSCRIBE_ACTIONS))}`, `"list":${JSON.stringify(d.pick(SCANNER_LISTS))}`, `"resume":${d.pick(BAD_RESUMES)}`]);
    return { category: 'bad_resume', frames: [text(body)], expect: error('INVALID_MESSAGE'), fragmentable: true };
  },
  not_subscribed(d) {
    // The fuzzing connections never subscribe, so every list they leave or resync is one they do not hold.
    const body = objectWith([`"action":${JSON.stringify(d.pick(NOT_SUBSCRIBED_ACTIONS))}`, `"list":${JSON.stringify(d.pick(SCANNER_LISTS))}`, junkFields(d, 800)]);
    return { category: 'not_subscribed', frames: [text(body)], expect: error('NOT_SUBSCRIBED'), fragmentable: true };
  },
  ping(d) {
    const body = objectWith(d.chance(0.5) ? [junkFields(d, 1500), '"action":"ping"'] : ['"action":"ping"', junkFields(d, 1500)]);
    return { category: 'ping', frames: [text(body)], expect: { kind: 'pong' }, fragmentable: true };
  },
  deep_nesting(d, limits) {
    const room = Math.floor((Math.min(limits.maxMessageLength, 4000) - 40) / 6);
    const depth = d.int(100, room);
    const variant = d.int(0, 3);
    if (variant === 0) return { category: 'deep_nesting', frames: [text(`${'['.repeat(depth)}${']'.repeat(depth)}`)], expect: error('INVALID_MESSAGE'), fragmentable: true };
    if (variant === 1) return { category: 'deep_nesting', frames: [text(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)], expect: error('INVALID_MESSAGE'), fragmentable: true };
    if (variant === 2) return { category: 'deep_nesting', frames: [text(`{"action":"ping","x":${'['.repeat(depth)}${']'.repeat(depth)}}`)], expect: { kind: 'pong' }, fragmentable: true };
    return { category: 'deep_nesting', frames: [text(`${'['.repeat(depth)}${']'.repeat(depth - 1)}`)], expect: error('INVALID_JSON'), fragmentable: true };
  },
  too_long(d, limits) {
    // ASCII, so characters and bytes agree: over the protocol's length, within the socket's limit.
    const length = d.int(limits.maxMessageLength + 1, limits.maxPayloadBytes);
    const head = '{"action":"ping","padding":"';
    const body = `${head}${'x'.repeat(Math.max(0, length - head.length - 2))}"}`;
    return { category: 'too_long', frames: [text(body)], expect: error('FRAME_TOO_LARGE'), fragmentable: true };
  },
  binary(d, limits) {
    const payload = d.chance(0.3) ? Buffer.from('{"action":"ping"}') : d.bytes(d.int(0, Math.min(limits.maxPayloadBytes, 2000)));
    return { category: 'binary', frames: [{ fin: true, rsv: 0, opcode: OPCODES.BINARY, payload }], expect: error('INVALID_MESSAGE') };
  },
  ping_flood(d) {
    const pings = Array.from({ length: d.int(10, MAX_PENDING_PONGS - 10) }, () => d.bytes(d.int(0, MAX_CONTROL_PAYLOAD)));
    return { category: 'ping_flood', frames: pings.map((p) => control(OPCODES.PING, p)), expect: { kind: 'none' }, pings };
  },
  ping_burst(d) {
    // More pings at once than the server keeps pongs pending for: the connection is cut, not answered.
    const pings = Array.from({ length: d.int(MAX_PENDING_PONGS * 2, MAX_PENDING_PONGS * 6) }, () => d.bytes(d.int(0, MAX_CONTROL_PAYLOAD)));
    return { category: 'ping_burst', frames: pings.map((p) => control(OPCODES.PING, p)), expect: closeWith(1006), pings };
  },
  pong_flood(d) {
    // Unsolicited pongs are allowed (RFC 6455 5.5.3) and must be ignored.
    const frames = Array.from({ length: d.int(5, 50) }, () => control(OPCODES.PONG, d.bytes(d.int(0, MAX_CONTROL_PAYLOAD))));
    return { category: 'pong_flood', frames, expect: { kind: 'none' } };
  },
  invalid_utf8(d) {
    const bad = Uint8Array.from(d.pick(INVALID_UTF8));
    if (d.chance(0.2)) {
      // In a close frame's reason: also 1007.
      return { category: 'invalid_utf8', frames: [control(OPCODES.CLOSE, Buffer.concat([closePayload(1000), bad]))], expect: closeWith(1007) };
    }
    const head = Buffer.from(`{"action":"ping","x":"${d.unicode(d.int(0, 20))}`, 'utf8');
    const payload = Buffer.concat([head, bad, Buffer.from('"}')]);
    return { category: 'invalid_utf8', frames: [text(payload)], expect: closeWith(1007), fragmentable: true };
  },
  oversized(d, limits) {
    const opcode = d.chance(0.7) ? OPCODES.TEXT : OPCODES.BINARY;
    const variant = d.int(0, 3);
    if (variant === 0) {
      return { category: 'oversized', frames: [{ fin: true, rsv: 0, opcode, payload: Buffer.alloc(d.int(limits.maxPayloadBytes + 1, limits.maxPayloadBytes * 4), 0x61) }], expect: closeWith(1009) };
    }
    if (variant === 1) {
      // A header that claims more than is ever sent: refused on the header alone.
      const declaredLength = d.pick([limits.maxPayloadBytes + 1, 2 ** 31, 2 ** 53 - 1, 2 ** 60]);
      return { category: 'oversized', frames: [{ fin: true, rsv: 0, opcode, payload: Buffer.alloc(d.int(0, 64), 0x61), declaredLength }], expect: closeWith(1009) };
    }
    // Fragments each within the limit whose message is not.
    const count = d.int(2, 6);
    const size = Math.ceil((limits.maxPayloadBytes + d.int(1, limits.maxPayloadBytes)) / count);
    const frames = Array.from({ length: count }, (_, i): RawFrame => ({ fin: i === count - 1, rsv: 0, opcode: i === 0 ? opcode : OPCODES.CONTINUATION, payload: Buffer.alloc(size, 0x61) }));
    return { category: 'oversized', frames, expect: closeWith(1009) };
  },
  protocol_violation(d) {
    const ping = Buffer.from('{"action":"ping"}');
    const variants: Array<() => RawFrame[]> = [
      () => [{ ...text(ping), masked: false }],
      () => [{ ...text(ping), rsv: d.int(1, 7) }],
      () => [{ fin: true, rsv: 0, opcode: d.pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), payload: ping }],
      () => [{ fin: true, rsv: 0, opcode: OPCODES.CONTINUATION, payload: ping }],
      () => [{ ...text(ping.subarray(0, 5)), fin: false }, text(ping.subarray(5))],
      () => [{ fin: false, rsv: 0, opcode: OPCODES.BINARY, payload: ping.subarray(0, 5) }, text(ping)],
      () => [control(OPCODES.PING, d.bytes(4), { fin: false })],
      () => [control(OPCODES.PING, d.bytes(d.int(MAX_CONTROL_PAYLOAD + 1, 300)))],
      () => [control(OPCODES.PONG, d.bytes(4), { rsv: 4 })],
      () => [control(OPCODES.CLOSE, d.bytes(1))],
      () => [control(OPCODES.CLOSE, closePayload(d.pick(INVALID_CLOSE_CODES)))],
    ];
    return { category: 'protocol_violation', frames: d.pick(variants)(), expect: closeWith(1002) };
  },
  too_many_fragments(d) {
    // ws buffers at most 16384 fragments of one message (maxFragments); empty ones count too.
    const count = 16_385 + d.int(0, 100);
    const frames = Array.from({ length: count }, (_, i): RawFrame => ({ fin: i === count - 1, rsv: 0, opcode: i === 0 ? OPCODES.TEXT : OPCODES.CONTINUATION, payload: Buffer.alloc(0) }));
    return { category: 'too_many_fragments', frames, expect: closeWith(1008) };
  },
  client_close(d) {
    if (d.chance(0.2)) return { category: 'client_close', frames: [control(OPCODES.CLOSE, Buffer.alloc(0))], expect: closeWith(1005) };
    const code = d.pick(VALID_CLOSE_CODES);
    return { category: 'client_close', frames: [control(OPCODES.CLOSE, closePayload(code, d.unicode(d.int(0, 20)).slice(0, 20)))], expect: closeWith(code) };
  },
};

/** Relative frequencies: mostly messages a parser must refuse, a few percent that end their connection. */
const WEIGHTS: ReadonlyArray<readonly [FuzzCategory, number]> = [
  ['bad_json', 14],
  ['not_object', 7],
  ['bad_action', 8],
  ['unknown_action', 9],
  ['wrong_types', 8],
  ['unknown_list', 8],
  ['bad_resume', 8],
  ['not_subscribed', 8],
  ['ping', 8],
  ['deep_nesting', 4],
  ['too_long', 3],
  ['binary', 4],
  ['ping_flood', 1.5],
  ['ping_burst', 0.2],
  ['pong_flood', 1],
  ['invalid_utf8', 1],
  ['oversized', 1],
  ['protocol_violation', 1.5],
  ['too_many_fragments', 0.1],
  ['client_close', 0.5],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);

function pickCategory(d: Dice): FuzzCategory {
  let roll = d.next() * TOTAL_WEIGHT;
  for (const [category, weight] of WEIGHTS) {
    roll -= weight;
    if (roll < 0) return category;
  }
  return 'bad_json';
}

/**
 * One text message as 2..8 fragments cut at any byte (a multi-byte character may be split: only the
 * whole message must be valid UTF-8), some empty, with protocol pings between them (RFC 6455 5.4 allows
 * control frames inside a fragmented message).
 */
function fragment(d: Dice, message: RawFrame): { frames: RawFrame[]; pings: Uint8Array[] } {
  const payload = message.payload;
  const count = d.int(2, 8);
  const cuts = Array.from({ length: count - 1 }, () => d.int(0, payload.length)).sort((a, b) => a - b);
  const bounds = [0, ...cuts, payload.length];
  const frames: RawFrame[] = [];
  const pings: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    frames.push({ fin: i === count - 1, rsv: 0, opcode: i === 0 ? message.opcode : OPCODES.CONTINUATION, payload: payload.subarray(bounds[i] ?? 0, bounds[i + 1] ?? payload.length) });
    if (i < count - 1 && d.chance(0.3)) {
      const ping = d.bytes(d.int(0, 16));
      pings.push(ping);
      frames.push(control(OPCODES.PING, ping));
    }
  }
  return { frames, pings };
}

/** `count` cases from `seed`: the same seed always gives the same cases. */
export function generateFuzzCases(options: FuzzOptions): FuzzCase[] {
  if (options.maxPayloadBytes <= options.maxMessageLength) throw new RangeError('maxPayloadBytes must exceed maxMessageLength, or FRAME_TOO_LARGE is unreachable');
  const d = new Dice(seededRandom(options.seed).next);
  const fragmentRate = options.fragmentRate ?? 0.2;
  return Array.from({ length: options.count }, (_, id): FuzzCase => {
    const built = GENERATORS[pickCategory(d)](d, options);
    const single = built.frames[0];
    if (built.fragmentable === true && built.frames.length === 1 && single !== undefined && d.chance(fragmentRate)) {
      const { frames, pings } = fragment(d, single);
      return { id, category: built.category, frames, expect: built.expect, pings, messages: 1, fragmented: true };
    }
    const dataFrames = built.frames.filter((f) => f.opcode === OPCODES.TEXT || f.opcode === OPCODES.BINARY).length;
    return { id, category: built.category, frames: built.frames, expect: built.expect, pings: built.pings ?? [], messages: built.expect.kind === 'close' ? 0 : dataFrames, fragmented: false };
  });
}
