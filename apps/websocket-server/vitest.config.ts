import { defineConfig } from 'vitest/config';
import { defineWorkspaceProjectConfig } from '../../vitest.shared.ts';

const shared = defineWorkspaceProjectConfig(import.meta.dirname);
const sharedProjects = shared.test?.projects ?? [];

/**
 * The shared `unit` and `integration` projects, plus:
 * - the demo page's pure modules (demo/src/*.test.ts) in `unit`, since `npm test` runs only that project;
 * - `browser`: the demo page in headless Chromium against real Redis, PostgreSQL and child processes
 *   (the `browser` script builds the page first). JSON reporting comes from the shared preset.
 */
export default defineConfig({
  ...shared,
  test: {
    ...shared.test,
    projects: [
      ...sharedProjects.map((project) =>
        typeof project === 'object' && 'test' in project && project.test?.name === 'unit'
          ? { ...project, test: { ...project.test, include: [...(project.test.include ?? []), 'demo/src/**/*.test.ts'] } }
          : project,
      ),
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.browser.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
