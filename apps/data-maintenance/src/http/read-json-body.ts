import type { IncomingMessage } from 'node:http';

/** The largest request body the control port reads. */
export const MAX_BODY_BYTES = 16 * 1024;

export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly status: 413; readonly code: 'PAYLOAD_TOO_LARGE'; readonly message: string }
  | { readonly ok: false; readonly status: 400; readonly code: 'INVALID_JSON'; readonly message: string };

/**
 * The request body parsed as JSON; an empty (or blank) body is `{}`. A body over `maxBytes` is refused
 * without reading the rest: by its Content-Length before a byte is read, or as soon as the bytes pass
 * the limit. The caller then answers with `Connection: close`, since the rest is never read.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<JsonBody> {
  const tooLarge = { ok: false, status: 413, code: 'PAYLOAD_TOO_LARGE', message: `the body is at most ${maxBytes} bytes` } as const;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge;
  const bytes = await readAtMost(req, maxBytes);
  if (bytes === null) return tooLarge;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, status: 400, code: 'INVALID_JSON', message: 'the body is not UTF-8 text' };
  }
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, status: 400, code: 'INVALID_JSON', message: 'the body is not JSON' };
  }
}

/** The whole body, or null as soon as it passes `maxBytes` (reading stops there). Rejects if the client goes away. */
function readAtMost(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(Object.assign(new Error('the client closed the connection before the body was complete'), { code: 'CLIENT_CLOSED' }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
