import { defineConfig } from 'vitest/config';
import { reporting } from '../../vitest.shared.ts';

/**
 * `unit`: the fault tools themselves (the TCP proxy, the frame fuzzer), `src/**\/*.test.ts`.
 * `faults`: the scenarios, `test/**\/*.faults.test.ts`, against the real Redis and PostgreSQL. Files run
 * one at a time: a scenario that cuts a service or kills a process must not disturb another's timing.
 */
export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'] } },
  test: {
    ...reporting(import.meta.dirname),
    environment: 'node',
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'faults',
          include: ['test/**/*.faults.test.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
