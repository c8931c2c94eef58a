/**
 * The part of the WHATWG WebSocket the client uses. A browser's `WebSocket` and the `ws` package's
 * both fit, so the library itself never imports a socket implementation.
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed (the standard values). */
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** `ws` has it: drops the TCP connection without waiting for a close handshake a dead peer never answers. */
  terminate?(): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { readonly code: number; readonly reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: { readonly message?: unknown }) => void): void;
}

export type WebSocketConstructorLike = new (url: string) => WebSocketLike;

export const SOCKET_OPEN = 1;
