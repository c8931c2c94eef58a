import { describe, expect, it } from 'vitest';
import { ScannerClientError } from './errors.js';
import { type ScannerClientOptions, resolveOptions, urlWithToken } from './options.js';
import { fakeWebSocket } from '../test/support/fake-websocket.js';

const { WebSocket } = fakeWebSocket();
const base: ScannerClientOptions = { url: 'ws://127.0.0.1:9000/ws/scanner', lists: ['winners'], WebSocket };

function refusal(options: unknown): ScannerClientError {
  try {
    resolveOptions(options as ScannerClientOptions);
  } catch (error) {
    if (error instanceof ScannerClientError) return error;
    throw error;
  }
  throw new Error('expected INVALID_OPTIONS');
}

describe('resolveOptions', () => {
  it('fills the defaults and keeps the lists in order, once each', () => {
    const resolved = resolveOptions({ ...base, lists: ['losers', 'winners', 'losers'] });
    expect(resolved).toMatchObject({
      lists: ['losers', 'winners'],
      token: null,
      backoff: { baseMs: 1_000, maxMs: 30_000 },
      throttleMs: 5_000,
      pingIntervalMs: 15_000,
      silenceTimeoutMs: 40_000,
    });
    expect(resolved.WebSocket).toBe(WebSocket);
  });

  it('refuses bad input with INVALID_OPTIONS and says what is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...base, url: 'http://host/ws' }, /ws: or wss:/],
      [{ ...base, url: '/ws/scanner' }, /not an absolute URL/],
      [{ ...base, url: 42 }, /url must be a string/],
      [{ ...base, lists: ['top_gainers'] }, /unknown list "top_gainers"/],
      [{ ...base, lists: 'winners' }, /lists must be an array/],
      [{ ...base, reconnect: { baseMs: 0 } }, /reconnect.baseMs must be/],
      [{ ...base, reconnect: { baseMs: 500, maxMs: 100 } }, /at least reconnect.baseMs/],
      [{ ...base, reconnect: { throttleMs: -1 } }, /throttleMs must be/],
      [{ ...base, pingIntervalMs: 10_000, silenceTimeoutMs: 10_000 }, /greater than pingIntervalMs/],
      [{ ...base, silenceTimeoutMs: Number.NaN }, /silenceTimeoutMs must be/],
      [{ ...base, token: 'abc' }, /token must be a function/],
      [{ ...base, random: 0.5 }, /random must be a function/],
      [null, /options must be an object/],
    ];
    for (const [options, message] of cases) {
      const error = refusal(options);
      expect(error.code).toBe('INVALID_OPTIONS');
      expect(error.message).toMatch(message);
    }
  });

  it('without options.WebSocket needs a global one (Node 20 has none) and says how to pass it', () => {
    const { WebSocket: _omit, ...withoutSocket } = base;
    const hasGlobal = typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function';
    if (hasGlobal) {
      expect(resolveOptions(withoutSocket).WebSocket).toBe((globalThis as { WebSocket?: unknown }).WebSocket);
    } else {
      expect(refusal(withoutSocket).message).toMatch(/pass options.WebSocket/);
    }
  });

  it('raises the silence default when a long ping interval would otherwise exceed it', () => {
    expect(resolveOptions({ ...base, pingIntervalMs: 30_000 }).silenceTimeoutMs).toBe(60_000);
  });
});

describe('urlWithToken', () => {
  it('adds ?token=, encoded, and replaces a token already in the URL', () => {
    expect(urlWithToken('ws://h:9000/ws/scanner', 'a.b+c/d=')).toBe('ws://h:9000/ws/scanner?token=a.b%2Bc%2Fd%3D');
    expect(urlWithToken('ws://h/ws?x=1&token=old', 'new')).toBe('ws://h/ws?x=1&token=new');
    expect(urlWithToken('ws://h/ws', null)).toBe('ws://h/ws');
  });
});
