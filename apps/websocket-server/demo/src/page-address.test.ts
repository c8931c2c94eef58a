import { describe, expect, it } from 'vitest';
import { tokenOf, webSocketUrlOf } from './page-address.js';

const page = (protocol: string, host: string, search = '') => ({ protocol, host, search });

describe('webSocketUrlOf', () => {
  it('uses the page host and port with ws: over http and wss: over https', () => {
    expect(webSocketUrlOf(page('http:', '127.0.0.1:9000'), '/ws/scanner')).toBe('ws://127.0.0.1:9000/ws/scanner');
    expect(webSocketUrlOf(page('https:', 'scanner.example.com'), '/live')).toBe('wss://scanner.example.com/live');
  });

  it('refuses a path that does not start with /', () => {
    expect(() => webSocketUrlOf(page('http:', 'x'), 'ws/scanner')).toThrow(/must start with \//);
  });
});

describe('tokenOf', () => {
  it('reads ?token= and ignores a blank one', () => {
    expect(tokenOf(page('http:', 'x', '?token=abc.def.ghi&x=1'))).toBe('abc.def.ghi');
    expect(tokenOf(page('http:', 'x', '?token=%20'))).toBeNull();
    expect(tokenOf(page('http:', 'x', ''))).toBeNull();
  });
});
