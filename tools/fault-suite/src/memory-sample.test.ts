import { describe, expect, it } from 'vitest';
import { settledMemory } from './memory-gc.js';
import { MiB, exceededBounds, formatMiB, memoryGrowth } from './memory-sample.js';

describe('memoryGrowth and exceededBounds', () => {
  it('reports each measure over its bound, and nothing within', () => {
    const growth = memoryGrowth({ heapUsed: 10 * MiB, rss: 100 * MiB, external: 1 * MiB }, { heapUsed: 30 * MiB, rss: 90 * MiB, external: 2 * MiB });
    expect(growth).toEqual({ heapUsed: 20 * MiB, rss: -10 * MiB, external: 1 * MiB });
    expect(exceededBounds(growth, { heapUsed: 16 * MiB, rss: 0, external: 4 * MiB })).toEqual(['heapUsed grew by 20.0 MiB, over the bound of 16.0 MiB']);
    expect(exceededBounds(growth, { heapUsed: 32 * MiB, rss: 0, external: 4 * MiB })).toEqual([]);
    expect(formatMiB(1.5 * MiB)).toBe('1.5 MiB');
  });
});

describe('settledMemory', () => {
  it('collects garbage: a large dropped allocation is gone from the heap', async () => {
    const before = await settledMemory();
    let garbage: number[][] | null = Array.from({ length: 200 }, () => Array.from({ length: 10_000 }, (_, i) => i + 0.5));
    const holding = await settledMemory();
    expect(garbage.length).toBe(200);
    garbage = null;
    const after = await settledMemory();
    expect(holding.heapUsed - before.heapUsed).toBeGreaterThan(10 * MiB);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(5 * MiB);
  });
});
