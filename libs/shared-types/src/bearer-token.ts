import { createHash, timingSafeEqual } from 'node:crypto';

// Shared by every HTTP endpoint that takes a static bearer token (the WebSocket server's
// /api/clear-cache, the maintenance service's /trigger), so there is one constant-time comparison.

/** The token of an `Authorization: Bearer <token>` header, or null when the header is not one. */
export function bearerTokenOf(header: string | undefined): string | null {
  if (typeof header !== 'string') return null;
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? null;
}

/** Compares digests, so the time taken reveals neither the token nor its length. */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const token = bearerTokenOf(header);
  if (token === null) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(token), digest(expected));
}
