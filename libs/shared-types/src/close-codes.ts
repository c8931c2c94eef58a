/** WebSocket close codes the server uses: 1001 and 1009 from RFC 6455, the 4xxx range is ours. */
export const CLOSE_CODES = {
  GOING_AWAY: 1001,
  MESSAGE_TOO_BIG: 1009,
  UNAUTHENTICATED: 4001,
  SLOW_CONSUMER: 4008,
  RATE_LIMITED: 4029,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];
