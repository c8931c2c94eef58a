import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

/** Every error the control port answers is `{code, message}` (plus fields a code documents, e.g. `holder`). */
export function sendError(
  res: ServerResponse,
  status: number,
  error: { readonly code: string; readonly message: string; readonly [field: string]: unknown },
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, error, headers);
}
