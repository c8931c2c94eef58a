import { describe, expect, it } from 'vitest';
import { decideOnClose, upgradeStatusOf } from './close-policy.js';

const end = (code: number, extra: { reason?: string; opened?: boolean; httpStatus?: number | null } = {}) =>
  decideOnClose({ code, reason: extra.reason ?? '', opened: extra.opened ?? true, httpStatus: extra.httpStatus ?? null });

describe('decideOnClose', () => {
  it('reconnects after a server shutdown (1001) and a network drop (1006) without reporting an error', () => {
    expect(end(1001, { reason: 'server shutting down' })).toEqual({ kind: 'reconnect', throttled: false, error: null });
    expect(end(1006)).toEqual({ kind: 'reconnect', throttled: false, error: null });
    expect(end(1006, { opened: false })).toEqual({ kind: 'reconnect', throttled: false, error: null });
    expect(end(1011)).toEqual({ kind: 'reconnect', throttled: false, error: null });
  });

  it('4001: reconnects (the token provider is asked again) and says the token expired', () => {
    expect(end(4001, { reason: 'token expired' })).toEqual({
      kind: 'reconnect',
      throttled: false,
      error: { code: 'TOKEN_EXPIRED', message: 'closed with 4001 (token expired): getting a new token' },
    });
  });

  it('4008 reconnects at once; 4029 and 1013 wait for the throttle floor', () => {
    expect(end(4008)).toMatchObject({ kind: 'reconnect', throttled: false, error: { code: 'SLOW_CONSUMER' } });
    expect(end(4029)).toMatchObject({ kind: 'reconnect', throttled: true, error: { code: 'CLOSED_RATE_LIMITED' } });
    expect(end(1013)).toMatchObject({ kind: 'reconnect', throttled: true, error: null });
  });

  it('stops for good on closes that a retry would only repeat', () => {
    for (const code of [1002, 1003, 1007, 1008, 1009, 1010]) {
      expect(end(code, { reason: 'x' })).toEqual({
        kind: 'stop',
        error: { code: 'FATAL_CLOSE', message: `the server closed the connection with ${code} (x); not reconnecting` },
      });
    }
  });

  it('a refused upgrade: 503/429 throttle, 401 retries with a fresh token, 404 stops', () => {
    expect(end(1006, { opened: false, httpStatus: 503 })).toEqual({
      kind: 'reconnect',
      throttled: true,
      error: { code: 'UPGRADE_REFUSED', message: 'the server refused the connection with HTTP 503' },
    });
    expect(end(1006, { opened: false, httpStatus: 429 })).toMatchObject({ kind: 'reconnect', throttled: true });
    expect(end(1006, { opened: false, httpStatus: 401 })).toMatchObject({ kind: 'reconnect', throttled: false, error: { code: 'UPGRADE_REFUSED' } });
    expect(end(1006, { opened: false, httpStatus: 404 })).toMatchObject({ kind: 'stop', error: { code: 'FATAL_CLOSE' } });
  });
});

describe('upgradeStatusOf', () => {
  it("reads the status from ws's error message and nothing from a browser's bare event", () => {
    expect(upgradeStatusOf({ message: 'Unexpected server response: 503' })).toBe(503);
    expect(upgradeStatusOf({ message: 'Unexpected server response: 401' })).toBe(401);
    expect(upgradeStatusOf({ message: 'connect ECONNREFUSED 127.0.0.1:9' })).toBeNull();
    expect(upgradeStatusOf({})).toBeNull();
    expect(upgradeStatusOf({ message: 42 })).toBeNull();
  });
});
