import { basename, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Each run also writes a JSON report under test-output/vitest/, so that `scripts/test-summary.mjs`
 * can print one closing "N passed, N failed" line for the whole workspace after `nx run-many`.
 */
export function reporting(root: string) {
  const target = process.env['npm_lifecycle_event'] ?? 'vitest';
  return {
    reporters: ['default', 'json'],
    outputFile: { json: resolve(import.meta.dirname, 'test-output/vitest', `${basename(root)}.${target}.json`) },
  };
}

/**
 * Every project runs two vitest projects: `unit` (pure logic, `src/**\/*.test.ts`, no services) and
 * `integration` (`test/**\/*.int.test.ts`, against the real Redis and PostgreSQL on this machine).
 * The `development` condition makes workspace packages resolve to their TypeScript sources.
 */
export function defineWorkspaceProjectConfig(root: string) {
  return defineConfig({
    root,
    resolve: { conditions: ['development'] },
    ssr: { resolve: { conditions: ['development'] } },
    test: {
      ...reporting(root),
      environment: 'node',
      projects: [
        {
          extends: true,
          // Nx runs several projects' tasks at once on a small CI machine: a CPU-bound unit test can take
          // a few times its quiet-machine duration, so the bound is generous (it catches hangs, not speed).
          test: { name: 'unit', include: ['src/**/*.test.ts'], testTimeout: 20_000 },
        },
        {
          extends: true,
          test: {
            name: 'integration',
            include: ['test/**/*.int.test.ts'],
            testTimeout: 20_000,
            hookTimeout: 20_000,
          },
        },
      ],
    },
  });
}
