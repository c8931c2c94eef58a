/**
 * How deep a row or delta item may nest. Upstream's fields are flat; JSON.parse accepts any depth, but
 * JSON.stringify overflows the stack near 5,000 levels, so a deeper value read from Redis could never be
 * sent to a client (nor compared, nor logged).
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Why `value` would not survive a JSON round trip unchanged, or null when it would: a number JSON
 * cannot hold (JSON.parse reads 1e400 as Infinity, which JSON.stringify then writes as null), or nesting
 * deeper than `maxDepth`. Iterative, so the check itself cannot overflow the stack.
 */
export function jsonValueProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [current, depth] = next;
    if (typeof current === 'number') {
      if (!Number.isFinite(current)) return `a number JSON cannot hold (${String(current)})`;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= maxDepth) return `nested deeper than ${maxDepth} levels`;
    for (const child of Array.isArray(current) ? current : Object.values(current)) pending.push([child, depth + 1]);
  }
  return null;
}
