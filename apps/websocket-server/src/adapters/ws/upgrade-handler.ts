import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';
import type { ServerMetrics } from '../http/server-metrics.js';
import { type TokenIdentity, type TokenVerifier, tokenOf } from './token-verifier.js';

export interface UpgradeHandlerOptions {
  readonly wss: WebSocketServer;
  readonly path: string;
  readonly maxConnections: number;
  readonly connectionCount: () => number;
  readonly accepting: () => boolean;
  readonly verifier: TokenVerifier | null;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  readonly onConnection: (socket: WebSocket, identity: TokenIdentity | null) => void;
}

/**
 * Decides at the HTTP upgrade, before any WebSocket exists: a refused client gets a plain HTTP status
 * (401 bad or missing token, 503 full or shutting down, 404 wrong path), never an accept-then-close.
 */
export function createUpgradeHandler(o: UpgradeHandlerOptions) {
  let inFlight = 0;
  return (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', (error) => o.logger.debug({ event: 'upgrade_socket_error', message: error.message }));
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== o.path) return refuse(socket, 404, 'NOT_FOUND', `no WebSocket endpoint at ${path}`, o, 'not_found');
    if (!o.accepting()) return refuse(socket, 503, 'SHUTTING_DOWN', 'server shutting down', o, 'shutting_down');
    if (o.connectionCount() + inFlight >= o.maxConnections) {
      return refuse(socket, 503, 'TOO_MANY_CONNECTIONS', 'connection limit reached, retry later', o, 'connection_cap');
    }
    const complete = (identity: TokenIdentity | null) => {
      o.wss.handleUpgrade(request, socket, head, (ws) => o.onConnection(ws, identity));
    };
    if (o.verifier === null) return complete(null);
    const token = tokenOf(request);
    if (token === null) return refuse(socket, 401, 'UNAUTHENTICATED', 'a bearer token is required', o, 'missing_token');
    inFlight++;
    o.verifier(token).then(
      (identity) => {
        inFlight--;
        if (!o.accepting()) return refuse(socket, 503, 'SHUTTING_DOWN', 'server shutting down', o, 'shutting_down');
        complete(identity);
      },
      (error: unknown) => {
        inFlight--;
        o.logger.info({ event: 'upgrade_token_refused', message: error instanceof Error ? error.message : String(error) });
        refuse(socket, 401, 'UNAUTHENTICATED', 'invalid token', o, 'invalid_token');
      },
    );
  };
}

const REASONS: Readonly<Record<number, string>> = { 401: 'Unauthorized', 404: 'Not Found', 503: 'Service Unavailable' };

function refuse(socket: Duplex, status: number, code: string, message: string, o: UpgradeHandlerOptions, reason: string): void {
  o.metrics.upgradesRefused.labels(reason).inc();
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ code, message });
  const headers = [
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(status === 401 ? ['WWW-Authenticate: Bearer'] : []),
    ...(status === 503 ? ['Retry-After: 5'] : []),
  ];
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}
