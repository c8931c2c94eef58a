import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { MemorySample } from './memory-sample.js';

/**
 * The garbage collector, without --expose-gc on the command line (vitest starts its workers itself): the
 * flag is switched on at run time and a fresh context hands out the `gc` function it creates.
 */
function collector(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc !== 'function') throw new Error('cannot reach the garbage collector');
  return gc as () => void;
}

let gc: (() => void) | null = null;

/** Full collections (a few, with a pause for sockets' finalizers between), then a reading of process memory. */
export async function settledMemory(rounds = 3): Promise<MemorySample> {
  gc ??= collector();
  for (let i = 0; i < rounds; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const usage = process.memoryUsage();
  return { heapUsed: usage.heapUsed, rss: usage.rss, external: usage.external };
}
