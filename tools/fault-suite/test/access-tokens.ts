import { createHmac } from 'node:crypto';

/**
 * JWTs made by hand with node:crypto (RFC 7519 / 7515 compact form), independent of the server's own
 * library, so forged, unsigned and mis-addressed tokens are exactly what the test says they are.
 */

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export interface TokenParts {
  readonly header?: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  /** The HMAC key; null leaves the signature empty (an `alg: none` token). */
  readonly key: string | null;
  /** The HMAC for the signature (default sha256, as HS256). */
  readonly hash?: 'sha256' | 'sha512';
}

export function signJwt(parts: TokenParts): string {
  const header = parts.header ?? { alg: 'HS256', typ: 'JWT' };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(parts.claims))}`;
  if (parts.key === null) return `${signingInput}.`;
  const signature = createHmac(parts.hash ?? 'sha256', parts.key).update(signingInput).digest();
  return `${signingInput}.${base64url(signature)}`;
}

/** The same signature on other claims: what an attacker who edits a token's payload sends. */
export function withClaims(token: string, claims: Record<string, unknown>): string {
  const [header = '', , signature = ''] = token.split('.');
  return `${header}.${base64url(JSON.stringify(claims))}.${signature}`;
}
