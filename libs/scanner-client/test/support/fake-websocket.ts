import type { WebSocketConstructorLike, WebSocketLike } from '../../src/websocket-like.js';

type Listener = (event: never) => void;

/** A socket the test drives from the server's side, recording what the client sends. */
export class FakeSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  closedWith: { code: number | undefined; reason: string | undefined } | null = null;
  terminated = false;
  private readonly listeners = new Map<string, Listener[]>();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 2;
  }

  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }

  /** The client frames, parsed. */
  messages(): Record<string, unknown>[] {
    return this.sent.map((s) => JSON.parse(s) as Record<string, unknown>);
  }

  // The server's side:

  open(): void {
    this.readyState = 1;
    this.fire('open', {});
  }

  receive(message: unknown): void {
    this.fire('message', { data: typeof message === 'string' ? message : JSON.stringify(message) });
  }

  receiveRaw(data: unknown): void {
    this.fire('message', { data });
  }

  error(message?: string): void {
    this.fire('error', message === undefined ? {} : { message });
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.fire('close', { code, reason });
  }

  private fire(type: string, event: object): void {
    for (const listener of this.listeners.get(type) ?? []) (listener as (e: object) => void)(event);
  }
}

/** A WebSocket constructor that records every socket the client creates. */
export function fakeWebSocket(): { readonly WebSocket: WebSocketConstructorLike; readonly sockets: FakeSocket[]; last(): FakeSocket } {
  const sockets: FakeSocket[] = [];
  class Recorded extends FakeSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  return {
    WebSocket: Recorded,
    sockets,
    last() {
      const socket = sockets.at(-1);
      if (socket === undefined) throw new Error('no socket was created');
      return socket;
    },
  };
}
