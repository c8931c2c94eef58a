import type { ProtocolErrorCode } from '@scanner/shared-types';

/** Codes the client itself reports, next to the server's `error` codes (PROTOCOL_ERROR_CODES). */
export const CLIENT_ERROR_CODES = {
  /** The options passed to the constructor are unusable (thrown, never emitted). */
  INVALID_OPTIONS: 'INVALID_OPTIONS',
  /** `table()` was asked for a list that is not one of the 11, or not one this client follows (thrown). */
  UNKNOWN_LIST: 'UNKNOWN_LIST',
  NOT_FOLLOWED: 'NOT_FOLLOWED',
  /** A frame that is not a valid server message (binary, bad JSON, wrong fields); it was skipped. */
  INVALID_SERVER_MESSAGE: 'INVALID_SERVER_MESSAGE',
  /** A delta did not follow the held sequence: the client sent `resync` for the list. */
  SEQUENCE_GAP: 'SEQUENCE_GAP',
  /** A delta did not apply to the held rows: the client sent `resync` for the list. */
  DELTA_CONFLICT: 'DELTA_CONFLICT',
  /** The token provider threw or rejected; the connection attempt is retried with backoff. */
  TOKEN_UNAVAILABLE: 'TOKEN_UNAVAILABLE',
  /** The WebSocket constructor threw. */
  CONNECTION_FAILED: 'CONNECTION_FAILED',
  /** The server refused the upgrade with an HTTP status (only runtimes that reveal it, e.g. Node's `ws`). */
  UPGRADE_REFUSED: 'UPGRADE_REFUSED',
  /** Nothing arrived within `silenceTimeoutMs`, not even a pong: the socket was dropped and replaced. */
  SILENT_CONNECTION: 'SILENT_CONNECTION',
  /** Close 4001: the token expired; the provider is asked again before reconnecting. */
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  /** Close 4008: the client read too slowly. */
  SLOW_CONSUMER: 'SLOW_CONSUMER',
  /** Close 4029: the client sent too fast; it reconnects after the throttle delay. */
  CLOSED_RATE_LIMITED: 'CLOSED_RATE_LIMITED',
  /** A close (or refusal) that retrying cannot fix, e.g. 1009 or HTTP 404: the client stopped. */
  FATAL_CLOSE: 'FATAL_CLOSE',
} as const;

export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[keyof typeof CLIENT_ERROR_CODES];

/** What the `error` event carries: a server `error` message, or a problem the client detected. */
export interface ScannerClientErrorEvent {
  readonly code: ProtocolErrorCode | ClientErrorCode;
  readonly message: string;
  readonly list?: string;
}

/** Thrown for bad input to the client's own API (options, `table()`); the socket path never throws. */
export class ScannerClientError extends Error {
  override readonly name = 'ScannerClientError';

  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
  }
}
