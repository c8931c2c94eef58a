import type { IncomingMessage } from 'node:http';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyOptions } from 'jose';
import type { AuthConfig } from '../../config.js';

/** Resolves with the token's subject, or rejects: expired, bad signature, wrong issuer or audience, unknown key. */
export type TokenVerifier = (token: string) => Promise<{ readonly subject: string | null }>;

/** Null when auth is off; otherwise HS256 with the shared secret, or the keys published at a JWKS URL. */
export function createTokenVerifier(auth: AuthConfig): TokenVerifier | null {
  if (auth.kind === 'none') return null;
  const options: JWTVerifyOptions = {
    ...(auth.issuer === undefined ? {} : { issuer: auth.issuer }),
    ...(auth.audience === undefined ? {} : { audience: auth.audience }),
  };
  if (auth.kind === 'hs256') {
    const key = new TextEncoder().encode(auth.secret);
    return async (token) => {
      const { payload } = await jwtVerify(token, key, { ...options, algorithms: ['HS256'] });
      return { subject: payload.sub ?? null };
    };
  }
  // jose caches the key set and refetches it (with a cooldown) when a token names a kid it does not know.
  const keys = createRemoteJWKSet(auth.jwksUrl, { timeoutDuration: 5_000 });
  return async (token) => {
    const { payload } = await jwtVerify(token, keys, options);
    return { subject: payload.sub ?? null };
  };
}

/** `Authorization: Bearer <token>`, or `?token=` because a browser's WebSocket cannot set headers. */
export function tokenOf(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] !== undefined) return match[1];
  }
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
  return query === null || query === '' ? null : query;
}
