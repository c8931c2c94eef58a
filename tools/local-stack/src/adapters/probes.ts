import { access, constants } from 'node:fs/promises';
import { createServer, createConnection } from 'node:net';
import { delimiter, join } from 'node:path';

/**
 * Does something answer there, and is it what we expect? Just enough of each protocol to tell Redis
 * and PostgreSQL from any other listener, with no client library: a wrong answer is "no".
 */

const PROBE_TIMEOUT_MS = 1500;

/** Sends `request` and resolves with the first bytes answered; null when nothing answers in time. */
function exchange(host: string, port: number, request: Buffer | null, timeoutMs: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (answer: Buffer | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.once('connect', () => {
      if (request === null) done(Buffer.alloc(0));
      else socket.write(request);
    });
    socket.once('data', (chunk: Buffer) => done(chunk));
    socket.once('error', () => done(null));
    socket.once('close', () => done(null));
  });
}

/** Redis answers PING with +PONG, or with an error (-NOAUTH ...) when it wants a password: either is Redis. */
export async function redisAnswers(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  const { hostname, port, protocol } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const portNumber = Number(port || 6379);
  // Behind TLS only the TCP connect can be checked without a client; the apps report anything more.
  if (protocol === 'rediss:') return (await exchange(host, portNumber, null, timeoutMs)) !== null;
  const answer = await exchange(host, portNumber, Buffer.from('PING\r\n'), timeoutMs);
  return answer !== null && (answer[0] === 0x2b || answer[0] === 0x2d);
}

/** PostgreSQL answers an SSLRequest (protocol code 80877103) with a single 'S' or 'N'. */
export async function postgresAnswers(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const request = Buffer.alloc(8);
  request.writeInt32BE(8, 0);
  request.writeInt32BE(80_877_103, 4);
  const answer = await exchange(host, Number(port || 5432), request, timeoutMs);
  return answer !== null && answer.length >= 1 && (answer[0] === 0x53 || answer[0] === 0x4e);
}

/** Whether a port can be bound on `host` now. */
export function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free on 127.0.0.1 right now (for `0` in a port setting). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the OS gave no port'))));
    });
  });
}

/** The first executable `name` on the PATH, or null. */
export async function findOnPath(name: string, pathVariable: string | undefined): Promise<string | null> {
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: the next PATH entry
    }
  }
  return null;
}
