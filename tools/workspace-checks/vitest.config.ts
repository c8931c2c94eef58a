import { defineConfig } from 'vitest/config';
import { reporting } from '../../vitest.shared.ts';

export default defineConfig({
  test: {
    ...reporting(import.meta.dirname),
    include: ['test/**/*.test.ts'],
    env: { NX_DAEMON: 'false' },
    // Building the Nx project graph from a cold cache takes seconds on a small machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
