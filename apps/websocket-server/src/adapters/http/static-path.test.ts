import { describe, expect, it } from 'vitest';
import { cacheControlOf, contentTypeOf, staticPathOf } from './static-path.js';

describe('staticPathOf', () => {
  it('maps the root and folders to their index.html', () => {
    expect(staticPathOf('/')).toEqual({ kind: 'file', file: 'index.html' });
    expect(staticPathOf('')).toEqual({ kind: 'file', file: 'index.html' });
    expect(staticPathOf('/docs/')).toEqual({ kind: 'file', file: 'docs/index.html' });
  });

  it('keeps a nested asset path and decodes percent-encoding', () => {
    expect(staticPathOf('/assets/index-AbCd1234.js')).toEqual({ kind: 'file', file: 'assets/index-AbCd1234.js' });
    expect(staticPathOf('/assets/my%20file.css')).toEqual({ kind: 'file', file: 'assets/my file.css' });
    expect(staticPathOf('//assets//x.js')).toEqual({ kind: 'file', file: 'assets/x.js' });
  });

  it.each([
    ['/../package.json'],
    ['/assets/../../src/config.ts'],
    ['/..%2f..%2fpackage.json'],
    ['/%2e%2e/%2e%2e/etc/passwd'],
    ['/%2E%2E%2Fetc%2Fpasswd'],
    ['/assets/%5c..%5cindex.html'],
    ['/index.html%00.js'],
    ['/./index.html'],
    ['/%E0%A4%A'],
  ])('refuses %s', (path) => {
    expect(staticPathOf(path).kind).toBe('invalid');
  });

  it('treats dotfiles and dot-folders as absent', () => {
    expect(staticPathOf('/.env')).toEqual({ kind: 'hidden' });
    expect(staticPathOf('/.git/config')).toEqual({ kind: 'hidden' });
    expect(staticPathOf('/assets/%2Ehidden')).toEqual({ kind: 'hidden' });
  });
});

describe('contentTypeOf', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/index-AbCd1234.js', 'text/javascript; charset=utf-8'],
    ['assets/index-AbCd1234.CSS', 'text/css; charset=utf-8'],
    ['favicon.svg', 'image/svg+xml'],
    ['assets/index-AbCd1234.js.map', 'application/json; charset=utf-8'],
    ['README', 'application/octet-stream'],
    ['archive.tar.gz', 'application/octet-stream'],
  ])('%s is %s', (file, type) => {
    expect(contentTypeOf(file)).toBe(type);
  });
});

describe('cacheControlOf', () => {
  it('caches hashed assets for good', () => {
    expect(cacheControlOf('assets/index-BxYz12_a.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlOf('assets/index-C-3kP9qz.css')).toBe('public, max-age=31536000, immutable');
  });

  it('revalidates index.html and unhashed files', () => {
    expect(cacheControlOf('index.html')).toBe('no-cache');
    expect(cacheControlOf('favicon.svg')).toBe('no-cache');
    expect(cacheControlOf('assets/logo.svg')).toBe('no-cache');
    expect(cacheControlOf('index-BxYz12_a.js')).toBe('no-cache');
  });
});
