/**
 * RFC 6455 framing by hand, so a test can send what a WebSocket library refuses to: invalid UTF-8 in a
 * text frame, reserved bits and opcodes, unmasked client frames, lying length headers, continuation
 * frames out of place, oversized control frames. Pure: bytes in, bytes out; the socket lives in
 * ws-raw-framer-socket.ts.
 */

export const OPCODES = {
  CONTINUATION: 0x0,
  TEXT: 0x1,
  BINARY: 0x2,
  CLOSE: 0x8,
  PING: 0x9,
  PONG: 0xa,
} as const;

/** One frame as a client would put it on the wire; every field that RFC 6455 constrains may be broken. */
export interface RawFrame {
  readonly fin: boolean;
  /** RSV1..RSV3 as the three bits 0b100, 0b010, 0b001. */
  readonly rsv: number;
  /** 0..15, reserved ones included. */
  readonly opcode: number;
  readonly payload: Uint8Array;
  /** Clients must mask; false sends the payload in the clear (a protocol error). Default true. */
  readonly masked?: boolean;
  /** A length header other than the payload's true length (the bytes sent are still `payload`). */
  readonly declaredLength?: number;
}

/** A frame read back from the server (servers never mask). */
export interface DecodedFrame {
  readonly fin: boolean;
  readonly rsv: number;
  readonly opcode: number;
  readonly payload: Buffer;
}

export function textFrame(text: string | Uint8Array, fin = true): RawFrame {
  return { fin, rsv: 0, opcode: OPCODES.TEXT, payload: typeof text === 'string' ? Buffer.from(text, 'utf8') : text };
}

/** Encodes one frame; `maskKey` (4 bytes) is applied when the frame is masked. */
export function encodeFrame(frame: RawFrame, maskKey: Uint8Array): Buffer {
  if (!Number.isInteger(frame.opcode) || frame.opcode < 0 || frame.opcode > 15) throw new RangeError(`opcode must be 0..15, got ${frame.opcode}`);
  if (!Number.isInteger(frame.rsv) || frame.rsv < 0 || frame.rsv > 7) throw new RangeError(`rsv must be 0..7, got ${frame.rsv}`);
  const masked = frame.masked ?? true;
  if (masked && maskKey.length !== 4) throw new RangeError('a mask key is 4 bytes');
  const length = frame.declaredLength ?? frame.payload.length;
  // Lengths past 2^53 are allowed on purpose (a header that lies); a double still holds them exactly enough.
  if (!Number.isInteger(length) || length < 0 || length >= 2 ** 64) throw new RangeError(`length must be an integer in 0..2^64, got ${length}`);

  const extended = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const headLength = 2 + extended + (masked ? 4 : 0);
  const out = Buffer.allocUnsafe(headLength + frame.payload.length);
  out[0] = (frame.fin ? 0x80 : 0) | (frame.rsv << 4) | frame.opcode;
  const maskBit = masked ? 0x80 : 0;
  if (extended === 0) {
    out[1] = maskBit | length;
  } else if (extended === 2) {
    out[1] = maskBit | 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = maskBit | 127;
    out.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    out.writeUInt32BE(length % 2 ** 32, 6);
  }
  out.set(frame.payload, headLength);
  if (masked) {
    out.set(maskKey, headLength - 4);
    for (let i = 0; i < frame.payload.length; i++) out[headLength + i] = (frame.payload[i] ?? 0) ^ (maskKey[i % 4] ?? 0);
  }
  return out;
}

/** A close frame's payload: the code, then the reason. */
export function closePayload(code: number, reason = ''): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2, 'utf8');
  return payload;
}

/** The code and reason of a close frame's payload; 1005 (no status) for an empty one, as RFC 6455 7.1.5 says. */
export function parseClosePayload(payload: Uint8Array): { readonly code: number; readonly reason: string } {
  if (payload.length < 2) return { code: 1005, reason: '' };
  const buffer = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return { code: buffer.readUInt16BE(0), reason: buffer.subarray(2).toString('utf8') };
}

/**
 * Reads unmasked frames out of a byte stream fed in chunks of any size. A masked server frame or a
 * length past 2^53 is a broken server: it throws rather than guessing.
 */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): DecodedFrame[] {
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const frames: DecodedFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (frame === null) return frames;
      frames.push(frame);
    }
  }

  /** Bytes received that do not yet make a whole frame. */
  get buffered(): number {
    return this.pending.length;
  }

  private next(): DecodedFrame | null {
    const buf = this.pending;
    if (buf.length < 2) return null;
    const first = buf[0] ?? 0;
    const second = buf[1] ?? 0;
    if ((second & 0x80) !== 0) throw new Error('a server frame must not be masked');
    let length = second & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buf.length < 4) return null;
      length = buf.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buf.length < 10) return null;
      const high = buf.readUInt32BE(2);
      if (high >= 2 ** 21) throw new Error('a frame length past 2^53');
      length = high * 2 ** 32 + buf.readUInt32BE(6);
      offset = 10;
    }
    if (buf.length < offset + length) return null;
    const payload = Buffer.from(buf.subarray(offset, offset + length));
    this.pending = buf.subarray(offset + length);
    return { fin: (first & 0x80) !== 0, rsv: (first >> 4) & 0x7, opcode: first & 0x0f, payload };
  }
}

/** The opening handshake of a client (RFC 6455 4.1); `headers` are added as given (a broken handshake is allowed). */
export function upgradeRequest(options: { readonly path: string; readonly host: string; readonly key: string | null; readonly version?: string; readonly headers?: Readonly<Record<string, string>> }): string {
  const lines = [
    `GET ${options.path} HTTP/1.1`,
    `Host: ${options.host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    ...(options.key === null ? [] : [`Sec-WebSocket-Key: ${options.key}`]),
    `Sec-WebSocket-Version: ${options.version ?? '13'}`,
    ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export interface ResponseHead {
  readonly status: number;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** Bytes of the status line and headers, the blank line included: what follows is body or frames. */
  readonly length: number;
}

/** The status line and headers of an HTTP response, or null while they are incomplete. */
export function parseResponseHead(bytes: Uint8Array): ResponseHead | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = buffer.indexOf('\r\n\r\n');
  if (end === -1) return null;
  const [statusLine = '', ...headerLines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (match === null) throw new Error(`not an HTTP response: ${JSON.stringify(statusLine.slice(0, 80))}`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(match[1]), headers, length: end + 4 };
}
