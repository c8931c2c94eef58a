import { defineConfig } from 'vitest/config';

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
      projects: [
        {
          extends: true,
          test: { name: 'unit', include: ['src/**/*.test.ts'], environment: 'node' },
        },
        {
          extends: true,
          test: {
            name: 'integration',
            include: ['test/**/*.int.test.ts'],
            environment: 'node',
            testTimeout: 20_000,
            hookTimeout: 20_000,
          },
        },
      ],
    },
  });
}
