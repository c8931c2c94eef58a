import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

const demoDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * Bundles the demo page into ../dist/demo, which the websocket-server serves at `/` (DEMO_DIR).
 * `development` resolves the workspace libraries to their TypeScript sources, as tsx does for the apps,
 * so the page needs no library build first.
 *
 * `vite --config demo/vite.config.ts` serves the page with live reload instead, passing the config
 * and WebSocket requests to a running server (DEMO_PROXY_TARGET, default http://127.0.0.1:9000).
 */
const proxyTarget = process.env['DEMO_PROXY_TARGET'] ?? 'http://127.0.0.1:9000';

export default defineConfig({
  root: demoDir,
  // Relative asset URLs: the page also works behind a proxy that mounts it under a path.
  base: './',
  resolve: {
    conditions: ['development', ...defaultClientConditions],
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/demo', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // One small page: inlining tiny assets as data: URLs would only complicate the CSP.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/demo-config.json': proxyTarget,
      '/ws': { target: proxyTarget, ws: true },
    },
  },
});
