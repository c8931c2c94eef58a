import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRADING_DAY } from './support/clock.js';
import { Harness, type RunningServer } from './support/harness.js';

const INDEX = '<!doctype html><title>demo</title><script type="module" src="./assets/index-AbCd1234.js"></script>';
const SCRIPT = 'console.log("demo bundle");';
const STYLE = 'body { color: red }';
const SECRET = 'secret-outside-the-bundle';

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A request whose path goes on the wire exactly as given: fetch() would fold `..` before sending. */
function raw(running: RunningServer, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawAnswer> {
  const { port } = running.server.address();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let h: Harness;
let root: string;
let demoDir: string;

beforeEach(async () => {
  h = new Harness();
  await h.upstream.announceNewDay(TRADING_DAY, { publish: false });
  // <root>/secret.txt sits next to the bundle, the file a traversal would reach for.
  root = await mkdtemp(join(tmpdir(), 'demo-static-'));
  demoDir = join(root, 'demo');
  await mkdir(join(demoDir, 'assets'), { recursive: true });
  await writeFile(join(demoDir, 'index.html'), INDEX);
  await writeFile(join(demoDir, 'assets', 'index-AbCd1234.js'), SCRIPT);
  await writeFile(join(demoDir, 'assets', 'index-Zy98_x-w.css'), STYLE);
  await writeFile(join(demoDir, '.env'), SECRET);
  await writeFile(join(root, 'secret.txt'), SECRET);
  await symlink(join(root, 'secret.txt'), join(demoDir, 'leak.txt'));
});

afterEach(async () => {
  await h.cleanup();
  await rm(root, { recursive: true, force: true });
});

describe('demo page static files', () => {
  it('serves index.html at / with revalidation, security headers, HEAD and 304', async () => {
    const running = await h.startServer({ DEMO_DIR: demoDir });
    for (const path of ['/', '/index.html']) {
      const page = await fetch(`${running.httpUrl}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
      expect(await page.text()).toBe(INDEX);
    }

    const etag = (await fetch(`${running.httpUrl}/`)).headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await raw(running, '/', { headers: { 'If-None-Match': etag ?? '' } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');

    const head = await raw(running, '/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(INDEX)));
    expect(head.body).toBe('');
  });

  it('serves hashed assets with their content type and a long-lived cache', async () => {
    const running = await h.startServer({ DEMO_DIR: demoDir });
    const script = await fetch(`${running.httpUrl}/assets/index-AbCd1234.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-security-policy')).toBeNull();
    expect(await script.text()).toBe(SCRIPT);

    const style = await fetch(`${running.httpUrl}/assets/index-Zy98_x-w.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await style.text()).toBe(STYLE);

    const missing = await fetch(`${running.httpUrl}/assets/nope-AbCd1234.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('tells the page its WebSocket path and whether it needs a token', async () => {
    const open = await h.startServer({ DEMO_DIR: demoDir, WS_PATH: '/live/feed' });
    const answer = await fetch(`${open.httpUrl}/demo-config.json`);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(await answer.json()).toEqual({ wsPath: '/live/feed', authRequired: false });

    const locked = await h.startServer({ DEMO_DIR: demoDir, JWT_SECRET: 'k'.repeat(32) });
    expect(await (await fetch(`${locked.httpUrl}/demo-config.json`)).json()).toEqual({ wsPath: '/ws/scanner', authRequired: true });
  });

  it('never serves a file outside the bundle', async () => {
    const running = await h.startServer({ DEMO_DIR: demoDir });
    for (const path of ['/..%2fsecret.txt', '/assets/..%2F..%2Fsecret.txt', '/%2e%2e%2fsecret.txt', '/assets/%5c..%5c..%5csecret.txt', '/index.html%00']) {
      const answer = await raw(running, path);
      expect(answer.status, path).toBe(400);
      expect(JSON.parse(answer.body), path).toMatchObject({ code: 'INVALID_PATH' });
    }
    // Plain `..` is folded by URL parsing before routing: it lands inside the bundle, where no such file is.
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/leak.txt', '/.env']) {
      const answer = await raw(running, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).not.toContain(SECRET);
    }
    // The refused paths do not disturb the rest of the server.
    expect((await fetch(`${running.httpUrl}/healthz`)).status).toBe(200);
  });

  it('answers 503 DEMO_NOT_BUILT at / when the bundle is missing, naming the build command', async () => {
    const running = await h.startServer({ DEMO_DIR: join(root, 'not-built') });
    const page = await fetch(`${running.httpUrl}/`);
    expect(page.status).toBe(503);
    const body = (await page.json()) as { code: string; message: string };
    expect(body.code).toBe('DEMO_NOT_BUILT');
    expect(body.message).toContain('npm run build:demo -w apps/websocket-server');
    expect((await fetch(`${running.httpUrl}/assets/index-AbCd1234.js`)).status).toBe(404);
    expect((await fetch(`${running.httpUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${running.httpUrl}/readyz`)).status).toBe(200);
  });

  it('serves nothing with DEMO_ENABLED=false, and leaves the other routes as they were', async () => {
    const running = await h.startServer({ DEMO_DIR: demoDir, DEMO_ENABLED: 'false' });
    for (const path of ['/', '/index.html', '/assets/index-AbCd1234.js', '/demo-config.json']) {
      const answer = await fetch(`${running.httpUrl}${path}`);
      expect(answer.status, path).toBe(404);
      expect(await answer.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await fetch(`${running.httpUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${running.httpUrl}/metrics`)).headers.get('content-type')).toContain('text/plain');
    expect((await fetch(`${running.httpUrl}/api/clear-cache`, { method: 'POST' })).status).toBe(503);
  });

  it('keeps non-GET methods on page paths a 404 and the known routes a 405', async () => {
    const running = await h.startServer({ DEMO_DIR: demoDir });
    expect((await fetch(`${running.httpUrl}/`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${running.httpUrl}/healthz`, { method: 'DELETE' })).status).toBe(405);
  });
});
