import type { DecodeError } from './result.js';

/** The machine codes of the WebSocket `error` message; clients branch on these, so they never change. */
export const PROTOCOL_ERROR_CODES = {
  INVALID_JSON: 'INVALID_JSON',
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  UNKNOWN_ACTION: 'UNKNOWN_ACTION',
  UNKNOWN_LIST: 'UNKNOWN_LIST',
  NOT_SUBSCRIBED: 'NOT_SUBSCRIBED',
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  RATE_LIMITED: 'RATE_LIMITED',
  FRAME_TOO_LARGE: 'FRAME_TOO_LARGE',
  SNAPSHOT_UNAVAILABLE: 'SNAPSHOT_UNAVAILABLE',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[keyof typeof PROTOCOL_ERROR_CODES];

/** Why a client frame was refused; `list` names the list the error is about (the unknown one, for UNKNOWN_LIST). */
export interface ProtocolError extends DecodeError<ProtocolErrorCode> {
  readonly list?: string;
}
