/**
 * Reads the few fields a load generator needs straight from a received frame's bytes, without parsing
 * the whole JSON: a delta of 100-row lists is ~18 KB, and 10,000 clients receive 110,000 of them per
 * second on a 2-core machine that also runs the server, so a full JSON.parse per message would make the
 * load generators, not the server, the thing measured. The encoders put `type`, `list`, `epoch` and
 * `sequence` first and `timestamp` last (shared-types encodeDelta/encodeSnapshot; the socket.io
 * baseline emits the same objects), and the load generators check a sample of frames with a full
 * parse against these readings (`crossCheck`).
 */

const HEAD_BYTES = 192;
const TYPE_KEY = Buffer.from('{"type":"');
const SOCKET_IO_EVENT = Buffer.from('42["');
const LIST_KEY = Buffer.from('"list":"');
const SEQUENCE_KEY = Buffer.from('"sequence":');
const TIMESTAMP_KEY = Buffer.from('"timestamp":"');
const QUOTE = 0x22;

export interface FrameHead {
  /** The message `type` (our protocol) or the event name (socket.io). */
  readonly kind: string;
  readonly list: string | null;
  readonly sequence: number | null;
}

function quotedAfter(frame: Buffer, keyAt: number, keyLength: number): string | null {
  const start = keyAt + keyLength;
  const end = frame.indexOf(QUOTE, start);
  return end < 0 ? null : frame.toString('latin1', start, end);
}

function fieldsOf(frame: Buffer, kind: string, from: number): FrameHead {
  const head = frame.subarray(0, HEAD_BYTES);
  const listAt = head.indexOf(LIST_KEY, from);
  const list = listAt < 0 ? null : quotedAfter(frame, listAt, LIST_KEY.length);
  const sequenceAt = head.indexOf(SEQUENCE_KEY, from);
  let sequence: number | null = null;
  if (sequenceAt >= 0) {
    let value = 0;
    let digits = 0;
    for (let i = sequenceAt + SEQUENCE_KEY.length; i < frame.length; i += 1) {
      const byte = frame[i];
      if (byte === undefined || byte < 0x30 || byte > 0x39) break;
      value = value * 10 + (byte - 0x30);
      digits += 1;
    }
    sequence = digits > 0 ? value : null;
  }
  return { kind, list, sequence };
}

/** `{"type":"delta","list":"winners","epoch":...,"sequence":42,...}` (our protocol and the naive server). */
export function scannerFrameHead(frame: Buffer): FrameHead | null {
  if (frame.length < TYPE_KEY.length || frame.compare(TYPE_KEY, 0, TYPE_KEY.length, 0, TYPE_KEY.length) !== 0) return null;
  const kind = quotedAfter(frame, 0, TYPE_KEY.length);
  return kind === null ? null : fieldsOf(frame, kind, TYPE_KEY.length + kind.length);
}

/** `42["delta",{"list":"winners",...,"sequence":42,...}]`: an engine.io message holding a socket.io EVENT. */
export function socketIoEventHead(frame: Buffer): FrameHead | null {
  if (frame.length < SOCKET_IO_EVENT.length || frame.compare(SOCKET_IO_EVENT, 0, SOCKET_IO_EVENT.length, 0, SOCKET_IO_EVENT.length) !== 0) {
    return null;
  }
  const kind = quotedAfter(frame, 0, SOCKET_IO_EVENT.length);
  return kind === null ? null : fieldsOf(frame, kind, SOCKET_IO_EVENT.length + kind.length);
}

/** Epoch milliseconds of the last `"timestamp":"<ISO>"` in the frame: the message's own, top-level one. */
export function trailingTimestampMs(frame: Buffer): number | null {
  const at = frame.lastIndexOf(TIMESTAMP_KEY);
  if (at < 0) return null;
  const text = quotedAfter(frame, at, TIMESTAMP_KEY.length);
  if (text === null) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The same three readings from a full JSON.parse of the message object, for the sampled cross-check:
 * null when the parsed message does not carry them.
 */
export function parsedFields(message: unknown): { list: string | null; sequence: number | null; timestampMs: number | null } | null {
  if (typeof message !== 'object' || message === null) return null;
  const record = message as Record<string, unknown>;
  const timestamp = record['timestamp'];
  return {
    list: typeof record['list'] === 'string' ? record['list'] : null,
    sequence: typeof record['sequence'] === 'number' ? record['sequence'] : null,
    timestampMs: typeof timestamp === 'string' ? Date.parse(timestamp) : null,
  };
}
