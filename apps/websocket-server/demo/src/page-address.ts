/** The parts of `window.location` the page needs; a plain object in tests. */
export interface PageLocation {
  readonly protocol: string;
  readonly host: string;
  readonly search: string;
}

/**
 * The WebSocket URL of the server that served the page: same host and port, `wss:` when the page came
 * over https (behind a TLS-terminating proxy), `ws:` otherwise.
 */
export function webSocketUrlOf(location: PageLocation, wsPath: string): string {
  if (!wsPath.startsWith('/')) throw new Error(`the server's wsPath must start with /, got ${JSON.stringify(wsPath)}`);
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${wsPath}`;
}

/** `?token=<jwt>` of the page's own URL: a browser cannot set headers on a WebSocket, the server takes it as a query. */
export function tokenOf(location: PageLocation): string | null {
  const token = new URLSearchParams(location.search).get('token');
  return token === null || token.trim() === '' ? null : token.trim();
}
