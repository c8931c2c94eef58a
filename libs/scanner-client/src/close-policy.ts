import { CLOSE_CODES } from '@scanner/shared-types';
import { CLIENT_ERROR_CODES, type ClientErrorCode } from './errors.js';

export interface SocketEnd {
  /** The close event's code (1006 when the connection failed or the upgrade was refused). */
  readonly code: number;
  readonly reason: string;
  /** The socket had opened before it closed. */
  readonly opened: boolean;
  /** The refused upgrade's HTTP status, when the runtime revealed it (see upgradeStatusOf). */
  readonly httpStatus: number | null;
}

export type CloseDecision =
  | {
      readonly kind: 'reconnect';
      /** Added to the backoff delay: the server asked to come back later. */
      readonly throttled: boolean;
      readonly error: { readonly code: ClientErrorCode; readonly message: string } | null;
    }
  | { readonly kind: 'stop'; readonly error: { readonly code: ClientErrorCode; readonly message: string } };

/**
 * Closes that retrying cannot fix: the client sent something the server can never accept (1002
 * protocol error, 1003 unsupported data, 1007 invalid payload, 1008 policy, 1009 too big, 1010 missing
 * extension). Reconnecting would only send it again.
 */
const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([1002, 1003, 1007, 1008, CLOSE_CODES.MESSAGE_TOO_BIG, 1010]);

/** HTTP statuses at the upgrade that mean "later" (docs/protocol.md section 1: 503 carries Retry-After: 5). */
const THROTTLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** What to do when a socket ends, per docs/protocol.md sections 1 and 6. */
export function decideOnClose(end: SocketEnd): CloseDecision {
  const { code, reason, httpStatus } = end;
  const said = reason === '' ? '' : ` (${reason})`;
  if (httpStatus !== null) {
    if (httpStatus === 404) {
      return { kind: 'stop', error: { code: CLIENT_ERROR_CODES.FATAL_CLOSE, message: 'the server has no WebSocket endpoint at this URL (HTTP 404)' } };
    }
    // 401 included: the token provider is asked again before every attempt.
    return {
      kind: 'reconnect',
      throttled: THROTTLE_STATUSES.has(httpStatus),
      error: { code: CLIENT_ERROR_CODES.UPGRADE_REFUSED, message: `the server refused the connection with HTTP ${httpStatus}` },
    };
  }
  if (FATAL_CLOSE_CODES.has(code)) {
    return { kind: 'stop', error: { code: CLIENT_ERROR_CODES.FATAL_CLOSE, message: `the server closed the connection with ${code}${said}; not reconnecting` } };
  }
  switch (code) {
    case CLOSE_CODES.UNAUTHENTICATED:
      return { kind: 'reconnect', throttled: false, error: { code: CLIENT_ERROR_CODES.TOKEN_EXPIRED, message: `closed with 4001${said}: getting a new token` } };
    case CLOSE_CODES.SLOW_CONSUMER:
      return { kind: 'reconnect', throttled: false, error: { code: CLIENT_ERROR_CODES.SLOW_CONSUMER, message: `closed with 4008${said}: the client read too slowly` } };
    case CLOSE_CODES.RATE_LIMITED:
      return { kind: 'reconnect', throttled: true, error: { code: CLIENT_ERROR_CODES.CLOSED_RATE_LIMITED, message: `closed with 4029${said}: the client sent too fast` } };
    case 1013: // "try again later" (RFC 6455 registry)
      return { kind: 'reconnect', throttled: true, error: null };
    default:
      // 1000, 1001 (server shutting down), 1005, 1006 (network, or a refused upgrade in a browser), 1011, 1012, ...
      return { kind: 'reconnect', throttled: false, error: null };
  }
}

const UNEXPECTED_RESPONSE = /Unexpected server response: (\d{3})\b/;

/**
 * The HTTP status of a refused upgrade, from the socket's `error` event. Node's `ws` says it in the
 * message ("Unexpected server response: 503"); a browser says nothing (its close is a bare 1006), and
 * then the client falls back to plain backoff.
 */
export function upgradeStatusOf(event: { readonly message?: unknown }): number | null {
  const message = event.message;
  if (typeof message !== 'string') return null;
  const match = UNEXPECTED_RESPONSE.exec(message);
  return match?.[1] === undefined ? null : Number(match[1]);
}
