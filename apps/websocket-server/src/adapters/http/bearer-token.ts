import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares digests, so the time taken reveals neither the token nor its length. */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  if (typeof header !== 'string') return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match?.[1] === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(match[1]), digest(expected));
}
