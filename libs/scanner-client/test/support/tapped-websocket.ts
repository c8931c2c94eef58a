import WebSocket from 'ws';
import type { WebSocketConstructorLike, WebSocketLike } from '../../src/websocket-like.js';

export type Frame = { readonly type?: string; readonly action?: string; readonly [field: string]: unknown };

/**
 * Sits between the client and a real `ws` socket: records every frame both ways (per connection), and
 * can hide incoming frames from the client, which is how a test makes a frame "lost" or a connection
 * silent while the real server keeps sending.
 */
export class Tap {
  /** Incoming frames per connection, in order. */
  readonly received: Frame[][] = [];
  readonly sent: Frame[][] = [];
  readonly sockets: WebSocket[] = [];
  /** Return true to hide the frame from the client. */
  drop: (frame: Frame, connection: number) => boolean = () => false;

  receivedOn(connection: number): Frame[] {
    return this.received[connection] ?? [];
  }

  sentOn(connection: number): Frame[] {
    return this.sent[connection] ?? [];
  }

  get connections(): number {
    return this.sockets.length;
  }

  readonly WebSocket: WebSocketConstructorLike = ((tap: Tap) =>
    class TappedSocket implements WebSocketLike {
      private readonly inner: WebSocket;
      private readonly index: number;

      constructor(url: string) {
        this.inner = new WebSocket(url);
        this.index = tap.sockets.push(this.inner) - 1;
        tap.received[this.index] = [];
        tap.sent[this.index] = [];
      }

      get readyState(): number {
        return this.inner.readyState;
      }

      send(data: string): void {
        tap.sent[this.index]?.push(JSON.parse(data) as Frame);
        this.inner.send(data);
      }

      close(code?: number, reason?: string): void {
        this.inner.close(code, reason);
      }

      terminate(): void {
        this.inner.terminate();
      }

      addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: never) => void): void {
        const deliver = listener as (event: unknown) => void;
        if (type !== 'message') {
          this.inner.addEventListener(type, (event: unknown) => deliver(event));
          return;
        }
        this.inner.addEventListener('message', (event) => {
          const frame = JSON.parse(String(event.data)) as Frame;
          tap.received[this.index]?.push(frame);
          if (!tap.drop(frame, this.index)) deliver({ data: event.data });
        });
      }
    })(this);
}
