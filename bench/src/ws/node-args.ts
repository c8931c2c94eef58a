import { resolve } from 'node:path';

/** The repository root (bench/src/ws -> ../../..). */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/**
 * Node flags that let a child process run a TypeScript entry of this repository the way
 * `tsx --conditions=development` does: the tsx loader (by absolute URL, so it resolves from any working
 * directory) and the workspace packages' TypeScript sources.
 */
export function typeScriptChildArgs(): string[] {
  return ['--import', import.meta.resolve('tsx'), '--conditions=development'];
}
