/**
 * Memory readings and their comparison, for "memory stays bounded" checks. Pure: the reading itself is
 * memory-gc.ts's job.
 */

export interface MemorySample {
  readonly heapUsed: number;
  readonly rss: number;
  /** Buffers and other memory outside the V8 heap (socket buffers live here). */
  readonly external: number;
}

export interface MemoryGrowth {
  readonly heapUsed: number;
  readonly rss: number;
  readonly external: number;
}

export interface MemoryBounds {
  readonly heapUsed: number;
  readonly rss: number;
  readonly external: number;
}

export function memoryGrowth(before: MemorySample, after: MemorySample): MemoryGrowth {
  return { heapUsed: after.heapUsed - before.heapUsed, rss: after.rss - before.rss, external: after.external - before.external };
}

/** Each measure whose growth passed its bound, as readable lines; empty when all are within. */
export function exceededBounds(growth: MemoryGrowth, bounds: MemoryBounds): string[] {
  return (['heapUsed', 'rss', 'external'] as const)
    .filter((name) => growth[name] > bounds[name])
    .map((name) => `${name} grew by ${formatMiB(growth[name])}, over the bound of ${formatMiB(bounds[name])}`);
}

export function formatMiB(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MiB`;
}

export const MiB = 1_048_576;
