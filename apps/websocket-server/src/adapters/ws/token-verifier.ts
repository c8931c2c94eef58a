import type { IncomingMessage } from 'node:http';
import type { Clock } from '@scanner/market-calendar';
import { type JWTPayload, type JWTVerifyOptions, createRemoteJWKSet, jwtVerify } from 'jose';
import type { AuthConfig } from '../../config.js';
import { bearerTokenOf } from '@scanner/shared-types/bearer-token';

/** Who a verified token speaks for, and until when (epoch ms; null when the token has no `exp`). */
export interface TokenIdentity {
  readonly subject: string | null;
  readonly expiresAtMs: number | null;
}

/** Resolves with the token's identity, or rejects: expired, bad signature, wrong issuer or audience, unknown key. */
export type TokenVerifier = (token: string) => Promise<TokenIdentity>;

/** Null when auth is off; otherwise HS256 with the shared secret, or the keys published at a JWKS URL. */
export function createTokenVerifier(auth: AuthConfig, clock: Clock): TokenVerifier | null {
  if (auth.kind === 'none') return null;
  const options = (): JWTVerifyOptions => ({
    currentDate: clock.now(),
    ...(auth.issuer === undefined ? {} : { issuer: auth.issuer }),
    ...(auth.audience === undefined ? {} : { audience: auth.audience }),
  });
  if (auth.kind === 'hs256') {
    const key = new TextEncoder().encode(auth.secret);
    return async (token) => identityOf((await jwtVerify(token, key, { ...options(), algorithms: ['HS256'] })).payload);
  }
  // jose caches the key set and refetches it (with a cooldown) when a token names a kid it does not know.
  const keys = createRemoteJWKSet(auth.jwksUrl, { timeoutDuration: 5_000 });
  return async (token) => identityOf((await jwtVerify(token, keys, options())).payload);
}

function identityOf(payload: JWTPayload): TokenIdentity {
  return { subject: payload.sub ?? null, expiresAtMs: payload.exp === undefined ? null : payload.exp * 1000 };
}

/** `Authorization: Bearer <token>`, or `?token=` because a browser's WebSocket cannot set headers. */
export function tokenOf(request: IncomingMessage): string | null {
  const fromHeader = bearerTokenOf(request.headers.authorization);
  if (fromHeader !== null) return fromHeader;
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
  return query === null || query === '' ? null : query;
}
