import { describe, expect, it } from 'vitest';
import { FrameDecoder, OPCODES, closePayload, encodeFrame, parseClosePayload, parseResponseHead, textFrame, upgradeRequest } from './ws-raw-framer.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const NO_MASK = new Uint8Array(0);

describe('encodeFrame (the examples of RFC 6455 section 5.7)', () => {
  it('a single-frame unmasked text message', () => {
    expect(hex(encodeFrame({ ...textFrame('Hello'), masked: false }, NO_MASK))).toBe('810548656c6c6f');
  });

  it('a single-frame masked text message', () => {
    expect(hex(encodeFrame(textFrame('Hello'), Uint8Array.from([0x37, 0xfa, 0x21, 0x3d])))).toBe('818537fa213d7f9f4d5158');
  });

  it('a fragmented unmasked text message', () => {
    const first = encodeFrame({ fin: false, rsv: 0, opcode: OPCODES.TEXT, payload: Buffer.from('Hel'), masked: false }, NO_MASK);
    const last = encodeFrame({ fin: true, rsv: 0, opcode: OPCODES.CONTINUATION, payload: Buffer.from('lo'), masked: false }, NO_MASK);
    expect([hex(first), hex(last)]).toEqual(['010348656c', '80026c6f']);
  });

  it('an unmasked ping', () => {
    expect(hex(encodeFrame({ fin: true, rsv: 0, opcode: OPCODES.PING, payload: Buffer.from('Hello'), masked: false }, NO_MASK))).toBe('890548656c6c6f');
  });

  it('256 bytes and 64 KiB of binary: 16-bit and 64-bit lengths', () => {
    const small = encodeFrame({ fin: true, rsv: 0, opcode: OPCODES.BINARY, payload: Buffer.alloc(256), masked: false }, NO_MASK);
    expect(hex(small.subarray(0, 4))).toBe('827e0100');
    expect(small.length).toBe(4 + 256);
    const large = encodeFrame({ fin: true, rsv: 0, opcode: OPCODES.BINARY, payload: Buffer.alloc(65_536), masked: false }, NO_MASK);
    expect(hex(large.subarray(0, 10))).toBe('827f0000000000010000');
  });

  it('writes broken frames as asked: reserved bits and opcodes, a length header that lies', () => {
    const rsv = encodeFrame({ fin: true, rsv: 0b101, opcode: 0xb, payload: Buffer.alloc(0), masked: false }, NO_MASK);
    expect(hex(rsv)).toBe('db00');
    const lying = encodeFrame({ fin: true, rsv: 0, opcode: OPCODES.TEXT, payload: Buffer.from('ab'), masked: false, declaredLength: 2 ** 60 }, NO_MASK);
    expect(hex(lying)).toBe('817f10000000000000006162');
  });

  it('refuses what it cannot encode', () => {
    expect(() => encodeFrame({ ...textFrame('x'), opcode: 16 }, Uint8Array.from([1, 2, 3, 4]))).toThrow(RangeError);
    expect(() => encodeFrame({ ...textFrame('x'), rsv: 8 }, Uint8Array.from([1, 2, 3, 4]))).toThrow(RangeError);
    expect(() => encodeFrame(textFrame('x'), Uint8Array.from([1, 2]))).toThrow('4 bytes');
  });
});

describe('FrameDecoder', () => {
  it('reads the frames back whatever the chunking, one byte at a time included', () => {
    const frames = [
      { fin: true, rsv: 0, opcode: OPCODES.TEXT, payload: Buffer.from('{"type":"pong"}') },
      { fin: true, rsv: 0, opcode: OPCODES.PONG, payload: Buffer.from([1, 2, 3]) },
      { fin: true, rsv: 0, opcode: OPCODES.BINARY, payload: Buffer.alloc(70_000, 7) },
      { fin: true, rsv: 0, opcode: OPCODES.CLOSE, payload: closePayload(1009) },
    ];
    const wire = Buffer.concat(frames.map((f) => encodeFrame({ ...f, masked: false }, NO_MASK)));
    const whole = new FrameDecoder().push(wire);
    expect(whole).toEqual(frames);

    const decoder = new FrameDecoder();
    const trickled = [...wire.subarray(0, 200)].flatMap((byte) => decoder.push(Uint8Array.of(byte)));
    trickled.push(...decoder.push(wire.subarray(200)));
    expect(trickled).toEqual(frames);
    expect(decoder.buffered).toBe(0);
  });

  it('holds an incomplete frame until the rest arrives', () => {
    const decoder = new FrameDecoder();
    const wire = encodeFrame({ ...textFrame('Hello'), masked: false }, NO_MASK);
    expect(decoder.push(wire.subarray(0, 4))).toEqual([]);
    expect(decoder.buffered).toBe(4);
    expect(decoder.push(wire.subarray(4))).toHaveLength(1);
  });

  it('throws on a masked frame: a server never masks', () => {
    expect(() => new FrameDecoder().push(encodeFrame(textFrame('x'), Uint8Array.from([1, 2, 3, 4])))).toThrow('masked');
  });
});

describe('close payloads', () => {
  it('round-trips the code and the reason; an empty payload means 1005', () => {
    expect(hex(closePayload(1000, 'ok'))).toBe('03e86f6b');
    expect(parseClosePayload(closePayload(4029, 'rate limited'))).toEqual({ code: 4029, reason: 'rate limited' });
    expect(parseClosePayload(new Uint8Array(0))).toEqual({ code: 1005, reason: '' });
  });
});

describe('the handshake', () => {
  it('writes the request lines, leaving out a null key', () => {
    const request = upgradeRequest({ path: '/ws/scanner?token=x', host: '127.0.0.1:9000', key: 'dGhlIHNhbXBsZSBub25jZQ==', headers: { Authorization: 'Bearer t' } });
    expect(request.split('\r\n')).toEqual([
      'GET /ws/scanner?token=x HTTP/1.1',
      'Host: 127.0.0.1:9000',
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      'Authorization: Bearer t',
      '',
      '',
    ]);
    expect(upgradeRequest({ path: '/', host: 'h', key: null, version: '99' })).not.toContain('Sec-WebSocket-Key');
  });

  it('parses a response head once it is complete', () => {
    const head = 'HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: 2\r\n\r\n{}';
    expect(parseResponseHead(Buffer.from(head.slice(0, 30)))).toBeNull();
    expect(parseResponseHead(Buffer.from(head))).toEqual({ status: 503, headers: { 'retry-after': '5', 'content-length': '2' }, length: head.length - 2 });
    expect(() => parseResponseHead(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow('not an HTTP response');
  });
});
