import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackLog } from '../log/stack-log.js';
import { describeExit, startChild } from './child-process.js';

/**
 * The websocket-server serves the demo page from apps/websocket-server/dist/demo. On a fresh clone it
 * is not built yet: build it once (`npm run build:demo -w apps/websocket-server`). A failed build does
 * not stop the stack: the services work without the page, and the log says so.
 */

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export type DemoState = 'present' | 'built' | 'custom' | 'missing';

export async function ensureDemoBundle(options: {
  readonly repoRoot: string;
  /** DEMO_DIR when the user set one: that folder is theirs to build. */
  readonly customDir: string | null;
  readonly env: Readonly<Record<string, string>>;
  readonly log: StackLog;
  readonly signal: AbortSignal;
}): Promise<DemoState> {
  const { repoRoot, log } = options;
  if (options.customDir !== null) return 'custom';
  const appDir = join(repoRoot, 'apps/websocket-server');
  if (await exists(join(appDir, 'dist/demo/index.html'))) return 'present';
  if (!(await exists(join(appDir, 'demo/vite.config.ts')))) {
    log.stack('demo page: apps/websocket-server/demo does not exist in this checkout; the services run without it');
    return 'missing';
  }
  log.stack('demo page: not built yet; building it once (npm run build:demo -w apps/websocket-server)');
  const child = startChild({
    name: 'demo',
    command: 'npm',
    args: ['run', 'build:demo', '-w', 'apps/websocket-server'],
    cwd: repoRoot,
    env: options.env,
    onLine: (line) => log.child('demo', line),
  });
  const onAbort = () => void child.stop('SIGTERM', 5000);
  options.signal.addEventListener('abort', onAbort, { once: true });
  const exit = await child.exited.finally(() => options.signal.removeEventListener('abort', onAbort));
  if (exit.code === 0 && (await exists(join(appDir, 'dist/demo/index.html')))) return 'built';
  log.stack(`demo page: the build ${describeExit(exit)}; carrying on without it (the services still run)`);
  return 'missing';
}
