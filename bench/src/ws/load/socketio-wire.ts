/**
 * The few packets of the engine.io v4 / socket.io v5 wire protocol that a load-generating client needs
 * over a plain WebSocket (https://socket.io/docs/v4/engine-io-protocol/, .../socket-io-protocol/).
 * socket.io-client would JSON.parse every 18 KB delta of every client, which on this 2-core machine
 * would cost more CPU than the server under test; this client reads the same frames the same cheap way
 * as the clients of the other two servers (frame-fields.ts), so the comparison measures the servers.
 */

/** engine.io packet types: the first character of each WebSocket frame. */
export const ENGINE_IO = { open: 0x30, close: 0x31, ping: 0x32, pong: 0x33, message: 0x34 } as const;

/** socket.io packet types: the character after the engine.io `4` (message). */
export const SOCKET_IO = { connect: 0x30, disconnect: 0x31, event: 0x32, connectError: 0x34 } as const;

/** The engine.io handshake path for the WebSocket transport straight away (no long-polling first). */
export function socketIoUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/$/, '')}/socket.io/?EIO=4&transport=websocket`;
}

/** Answer to the server's heartbeat ping. */
export const PONG_PACKET = '3';
/** Connect to the main namespace `/`. */
export const CONNECT_PACKET = '40';

/** An EVENT on the main namespace without an ack id: `42["event",payload]`. */
export function eventPacket(event: string, payload: unknown): string {
  return `42${JSON.stringify([event, payload])}`;
}

export type SocketIoFrame =
  | { readonly kind: 'open' }
  | { readonly kind: 'ping' }
  | { readonly kind: 'close' }
  | { readonly kind: 'connected' }
  | { readonly kind: 'connect_error' }
  | { readonly kind: 'disconnect' }
  | { readonly kind: 'event' }
  | { readonly kind: 'other' };

/** What a received frame is; an `event` is then read with frame-fields' socketIoEventHead. */
export function classifySocketIoFrame(frame: Buffer): SocketIoFrame {
  switch (frame[0]) {
    case ENGINE_IO.open:
      return { kind: 'open' };
    case ENGINE_IO.ping:
      return { kind: 'ping' };
    case ENGINE_IO.close:
      return { kind: 'close' };
    case ENGINE_IO.message:
      switch (frame[1]) {
        case SOCKET_IO.event:
          return { kind: 'event' };
        case SOCKET_IO.connect:
          return { kind: 'connected' };
        case SOCKET_IO.connectError:
          return { kind: 'connect_error' };
        case SOCKET_IO.disconnect:
          return { kind: 'disconnect' };
        default:
          return { kind: 'other' };
      }
    default:
      return { kind: 'other' };
  }
}
