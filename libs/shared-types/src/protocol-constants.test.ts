import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from './close-codes.js';
import { PROTOCOL_ERROR_CODES } from './protocol-errors.js';

// Clients hard-code these numbers and strings, so a change here is a protocol break, not a refactor.
describe('protocol constants', () => {
  it('keep the close codes of the contract', () => {
    expect(CLOSE_CODES).toEqual({
      GOING_AWAY: 1001,
      MESSAGE_TOO_BIG: 1009,
      UNAUTHENTICATED: 4001,
      SLOW_CONSUMER: 4008,
      RATE_LIMITED: 4029,
    });
  });

  it('spell every error code as its own name', () => {
    expect(Object.keys(PROTOCOL_ERROR_CODES).sort()).toEqual(
      [
        'FRAME_TOO_LARGE',
        'INTERNAL_ERROR',
        'INVALID_JSON',
        'INVALID_MESSAGE',
        'NOT_SUBSCRIBED',
        'RATE_LIMITED',
        'SNAPSHOT_UNAVAILABLE',
        'TOO_MANY_SUBSCRIPTIONS',
        'UNKNOWN_ACTION',
        'UNKNOWN_LIST',
      ].sort(),
    );
    for (const [name, code] of Object.entries(PROTOCOL_ERROR_CODES)) expect(code).toBe(name);
  });
});
