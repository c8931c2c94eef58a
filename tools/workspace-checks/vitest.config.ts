import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Linting a probe file builds the Nx project graph, which takes a while on a cold cache.
    testTimeout: 60_000,
  },
});
