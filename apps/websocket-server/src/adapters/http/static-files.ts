import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAbsolute, join, relative } from 'node:path';
import type { Logger } from 'pino';
import { sendError, sendJson } from './json-response.js';
import { cacheControlOf, contentTypeOf, staticPathOf } from './static-path.js';

export const BUILD_DEMO_COMMAND = 'npm run build:demo -w apps/websocket-server';

/** What the page needs from the server before it can connect: fetched as GET /demo-config.json. */
export interface DemoConfig {
  readonly wsPath: string;
  /** The server checks JWTs: the page must be opened with `?token=<jwt>`, which it passes on. */
  readonly authRequired: boolean;
}

export interface DemoRoutesOptions extends DemoConfig {
  /** The built bundle (index.html, assets/): DEMO_DIR. */
  readonly dir: string;
  readonly logger: Logger;
}

/** Answers a GET/HEAD for the demo page; false when the path is not the demo's (the caller answers 404). */
export type DemoRoutes = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;

// The page loads only its own bundle and talks only to this origin (CSP 3 lets 'self' cover ws/wss).
const PAGE_SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
};

/**
 * Serves the demo bundle built by vite, read from disk on each request: the bundle can be (re)built
 * while the server runs. The bundle holds a few small files, so each is read whole.
 */
export function createDemoRoutes(o: DemoRoutesOptions): DemoRoutes {
  const config: DemoConfig = { wsPath: o.wsPath, authRequired: o.authRequired };
  if (!existsSync(join(o.dir, 'index.html'))) {
    o.logger.warn({ event: 'demo_not_built', dir: o.dir, build: BUILD_DEMO_COMMAND });
  }

  return async (req, res, pathname) => {
    if (pathname === '/demo-config.json') {
      sendJson(res, 200, config);
      return true;
    }
    const target = staticPathOf(pathname);
    if (target.kind === 'hidden') return false;
    if (target.kind === 'invalid') {
      sendError(res, 400, 'INVALID_PATH', target.message);
      return true;
    }
    const found = await fileIn(o.dir, target.file);
    if (found === null) {
      if (target.file !== 'index.html' || (await fileIn(o.dir, 'index.html')) !== null) return false;
      o.logger.warn({ event: 'demo_not_built', dir: o.dir, build: BUILD_DEMO_COMMAND });
      sendError(res, 503, 'DEMO_NOT_BUILT', `the demo page is not built; build it with \`${BUILD_DEMO_COMMAND}\``);
      return true;
    }

    const etag = `W/"${found.size.toString(16)}-${Math.floor(found.mtimeMs).toString(16)}"`;
    const headers: Record<string, string> = {
      'Cache-Control': cacheControlOf(target.file),
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
      ...(target.file.endsWith('.html') ? PAGE_SECURITY_HEADERS : {}),
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    const body = req.method === 'HEAD' ? null : await readFile(found.path);
    res.writeHead(200, { ...headers, 'Content-Type': contentTypeOf(target.file), 'Content-Length': String(found.size) });
    res.end(body);
    return true;
  };
}

/**
 * The regular file at `file` under `dir`, or null. Checked again after resolving symlinks: a link in
 * the folder must not lead out of it.
 */
async function fileIn(dir: string, file: string): Promise<{ path: string; size: number; mtimeMs: number } | null> {
  try {
    const [root, path] = await Promise.all([realpath(dir), realpath(join(dir, file))]);
    const inside = relative(root, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'ENAMETOOLONG';
}
