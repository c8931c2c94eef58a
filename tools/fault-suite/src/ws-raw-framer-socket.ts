import { randomBytes } from 'node:crypto';
import { type Socket, connect } from 'node:net';
import {
  type DecodedFrame,
  FrameDecoder,
  OPCODES,
  type RawFrame,
  type ResponseHead,
  encodeFrame,
  parseClosePayload,
  parseResponseHead,
  upgradeRequest,
} from './ws-raw-framer.js';

/** An upgrade the server answered with something other than 101: its status, headers and body. */
export interface RefusedUpgrade {
  readonly kind: 'refused';
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface RawOpenOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** Sec-WebSocket-Key; null leaves it out (a broken handshake). Default: 16 random bytes. */
  readonly key?: string | null;
  readonly version?: string;
  readonly timeoutMs?: number;
}

/**
 * A WebSocket client over a plain TCP socket that sends frames exactly as built (ws-raw-framer.ts). It
 * answers the server's pings and close frame as a compliant client does, records every frame it gets,
 * and never throws on a socket error: a test asserts what the server did, not how the socket died.
 */
export class RawWsConnection {
  readonly kind = 'open';
  /** Every frame received, in order. */
  readonly frames: DecodedFrame[] = [];
  /** The server's close frame, once received. */
  closeFrame: { readonly code: number; readonly reason: string } | null = null;
  /** The TCP socket has closed. */
  ended = false;
  socketError: string | null = null;
  private readonly decoder = new FrameDecoder();
  /** Re-checks of pending waitFor calls, run whenever a frame arrives or the socket ends. */
  private readonly waiters = new Set<() => void>();
  private fragments: Buffer[] = [];

  private constructor(
    private readonly socket: Socket,
    rest: Buffer,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => {
      this.socketError ??= error.message;
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
    if (rest.length > 0) this.onData(rest);
  }

  /** Connects to `ws://host:port/path?query` and performs the handshake. */
  static open(url: string, options: RawOpenOptions = {}): Promise<RawWsConnection | RefusedUpgrade> {
    const target = new URL(url);
    const socket = connect({ host: target.hostname, port: Number(target.port) });
    socket.setNoDelay(true);
    const key = options.key === undefined ? randomBytes(16).toString('base64') : options.key;
    return new Promise((resolve, reject) => {
      let received = Buffer.alloc(0);
      let head: ResponseHead | null = null;
      const timer = setTimeout(() => fail(new Error(`no handshake answer from ${url} within ${options.timeoutMs ?? 5000} ms`)), options.timeoutMs ?? 5000);
      const cleanup = () => {
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('error', fail);
        socket.off('close', onClose);
      };
      const fail = (error: Error) => {
        cleanup();
        socket.destroy();
        reject(error);
      };
      const refused = () => {
        if (head === null) return;
        cleanup();
        socket.destroy();
        resolve({ kind: 'refused', status: head.status, headers: head.headers, body: received.subarray(head.length).toString('utf8') });
      };
      const onClose = () => (head === null ? fail(new Error(`the socket closed before a handshake answer from ${url}`)) : refused());
      const onData = (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        head ??= parseResponseHead(received);
        if (head === null) return;
        if (head.status === 101) {
          cleanup();
          resolve(new RawWsConnection(socket, received.subarray(head.length)));
          return;
        }
        const length = Number(head.headers['content-length'] ?? Number.NaN);
        if (Number.isFinite(length) && received.length - head.length >= length) refused();
      };
      socket.on('data', onData);
      socket.on('error', fail);
      socket.on('close', onClose);
      socket.on('connect', () =>
        socket.write(
          upgradeRequest({
            path: `${target.pathname}${target.search}`,
            host: target.host,
            key,
            ...(options.version === undefined ? {} : { version: options.version }),
            ...(options.headers === undefined ? {} : { headers: options.headers }),
          }),
        ),
      );
    });
  }

  send(frame: RawFrame): void {
    this.sendRaw(encodeFrame(frame, randomBytes(4)));
  }

  sendRaw(bytes: Uint8Array): void {
    if (this.ended || this.socket.destroyed || !this.socket.writable) return;
    this.socket.write(bytes);
  }

  /**
   * Writes and waits until the socket takes more (its buffer drained), so a flood goes at the pace the
   * peer reads. False once the socket is gone.
   */
  async sendRawPaced(bytes: Uint8Array): Promise<boolean> {
    if (this.ended || this.socket.destroyed || !this.socket.writable) return false;
    if (this.socket.write(bytes)) return true;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
    return !this.ended;
  }

  /** Stops reading: the server's frames pile up in the kernel's buffers and then in the server's. */
  pauseReading(): void {
    this.socket.pause();
  }

  /** The text messages received, in order. */
  texts(): string[] {
    return this.frames.filter((f) => f.opcode === OPCODES.TEXT).map((f) => f.payload.toString('utf8'));
  }

  /** Payloads of the pong frames received, in order. */
  pongs(): Buffer[] {
    return this.frames.filter((f) => f.opcode === OPCODES.PONG).map((f) => f.payload);
  }

  /** Resolves with `check`'s first value, re-checked at each frame received and at the close; fails after `timeoutMs`. */
  waitFor<T>(what: string, check: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    const first = check();
    if (first !== undefined && first !== null && first !== false) return Promise.resolve(first);
    return new Promise((resolve, reject) => {
      const recheck = () => {
        const value = check();
        if (value === undefined || value === null || value === false) return;
        clearTimeout(timer);
        this.waiters.delete(recheck);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(recheck);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(recheck);
    });
  }

  /** Resolves when the TCP socket has closed. */
  async whenEnded(timeoutMs = 5000): Promise<void> {
    await this.waitFor('the socket to close', () => this.ended, timeoutMs);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let frames: DecodedFrame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.socketError = `undecodable server frame: ${(error as Error).message}`;
      this.socket.destroy();
      return;
    }
    for (const frame of frames) this.onFrame(frame);
    if (frames.length > 0) this.wake();
  }

  private wake(): void {
    for (const recheck of [...this.waiters]) recheck();
  }

  private onFrame(frame: DecodedFrame): void {
    if (frame.opcode === OPCODES.PING) {
      this.send({ fin: true, rsv: 0, opcode: OPCODES.PONG, payload: frame.payload });
    } else if (frame.opcode === OPCODES.CLOSE && this.closeFrame === null) {
      this.closeFrame = parseClosePayload(frame.payload);
      // A compliant client echoes the close and lets the server end the TCP connection.
      this.send({ fin: true, rsv: 0, opcode: OPCODES.CLOSE, payload: frame.payload.subarray(0, 2) });
      this.socket.end();
    } else if (frame.opcode === OPCODES.CONTINUATION || !frame.fin) {
      this.fragments.push(frame.payload);
      if (frame.fin) {
        this.frames.push({ ...frame, opcode: OPCODES.TEXT, payload: Buffer.concat(this.fragments) });
        this.fragments = [];
      }
      return;
    }
    this.frames.push(frame);
  }
}
