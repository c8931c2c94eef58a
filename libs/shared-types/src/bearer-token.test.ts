import { describe, expect, it } from 'vitest';
import { bearerMatches, bearerTokenOf } from './bearer-token.js';

const TOKEN = 'a-control-token-of-32-characters';

describe('bearerTokenOf', () => {
  it('takes the token of a Bearer header, whatever the scheme case and surrounding spaces', () => {
    expect(bearerTokenOf(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerTokenOf(`bearer   ${TOKEN}  `)).toBe(TOKEN);
  });

  it('is null for a missing header, another scheme, no token or a token with spaces', () => {
    expect(bearerTokenOf(undefined)).toBeNull();
    expect(bearerTokenOf(`Basic ${TOKEN}`)).toBeNull();
    expect(bearerTokenOf('Bearer')).toBeNull();
    expect(bearerTokenOf('Bearer ')).toBeNull();
    expect(bearerTokenOf(`Bearer ${TOKEN} extra`)).toBeNull();
    expect(bearerTokenOf(TOKEN)).toBeNull();
  });
});

describe('bearerMatches', () => {
  it('accepts exactly the expected token', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
  });

  it('refuses a wrong token, a prefix or extension of it, and no header', () => {
    expect(bearerMatches('Bearer another-token-of-32-characters!', TOKEN)).toBe(false);
    expect(bearerMatches(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN)).toBe(false);
    expect(bearerMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(bearerMatches(`Bearer ${TOKEN.toUpperCase()}`, TOKEN)).toBe(false);
    expect(bearerMatches(undefined, TOKEN)).toBe(false);
    expect(bearerMatches(`Basic ${TOKEN}`, TOKEN)).toBe(false);
  });
});
