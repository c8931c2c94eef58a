import { extname } from 'node:path/posix';

/**
 * Where a request path points inside the demo bundle, decided on the text alone (no file system):
 * `file` is a relative POSIX path that cannot leave the bundle's folder.
 */
export type StaticPath =
  | { readonly kind: 'file'; readonly file: string }
  /** A `..` (also percent-encoded), a backslash or a NUL: an attempt to leave the folder, refused. */
  | { readonly kind: 'invalid'; readonly message: string }
  /** A dotfile or dot-folder: never part of a bundle, answered as absent. */
  | { readonly kind: 'hidden' };

/**
 * `pathname` is the URL's path as the HTTP layer parsed it. WHATWG URL parsing already folds plain
 * `..` segments, but `%2e%2e%2f` survives it and only becomes `../` once decoded, so the decoded
 * segments are checked here rather than trusted.
 */
export function staticPathOf(pathname: string): StaticPath {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'invalid', message: 'the path is not valid percent-encoding' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'invalid', message: 'the path contains a NUL or a backslash' };
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.')) return { kind: 'invalid', message: 'the path leaves the demo folder' };
  if (segments.some((segment) => segment.startsWith('.'))) return { kind: 'hidden' };
  if (segments.length === 0 || decoded.endsWith('/')) segments.push('index.html');
  return { kind: 'file', file: segments.join('/') };
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** Unknown types are sent as bytes: with `nosniff`, a browser then never runs them as script or style. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Vite's output names, `assets/<name>-<hash>.<ext>`: the content can never change under that name. */
const HASHED_ASSET = /^assets\/(?:[^/]+\/)*[^/]+-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$/;

/**
 * Hashed assets are cached for a year; everything else (index.html above all, which names the
 * current hashes) is revalidated on every load, so a redeploy shows at the next reload.
 */
export function cacheControlOf(file: string): string {
  return HASHED_ASSET.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
}
