import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { RawWsConnection } from './ws-raw-framer-socket.js';
import { OPCODES, closePayload, textFrame } from './ws-raw-framer.js';

/** A plain `ws` server (no app): echoes text, pings each new client, refuses /full with 503 and a JSON body. */
let server: Server;
let wss: WebSocketServer;
let url: string;
const pongs: string[] = [];
const upgrading = new Set<Duplex>();

beforeEach(async () => {
  pongs.length = 0;
  wss = new WebSocketServer({ noServer: true, maxPayload: 64 });
  wss.on('connection', (socket) => {
    socket.send('hello');
    socket.ping(Buffer.from('are you there'));
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    socket.on('pong', (data) => pongs.push(data.toString()));
    socket.on('error', () => undefined);
  });
  server = createServer();
  server.on('upgrade', (request, socket, head) => {
    upgrading.add(socket);
    if (request.url === '/full') {
      const body = JSON.stringify({ code: 'TOO_MANY_CONNECTIONS' });
      socket.end(`HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const client of wss.clients) client.terminate();
  for (const socket of upgrading) socket.destroy();
  upgrading.clear();
  wss.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function open(path = '/'): Promise<RawWsConnection> {
  const connection = await RawWsConnection.open(`${url}${path}`);
  if (connection.kind !== 'open') throw new Error(`refused with ${connection.status}`);
  return connection;
}

describe('RawWsConnection', () => {
  it('completes the handshake, reads frames, answers the server ping, and echoes text sent as raw fragments', async () => {
    const connection = await open();
    await connection.waitFor('the greeting', () => connection.texts()[0] === 'hello');
    connection.send({ ...textFrame('he'), fin: false });
    connection.send({ fin: false, rsv: 0, opcode: OPCODES.CONTINUATION, payload: Buffer.from('ll') });
    connection.send({ fin: true, rsv: 0, opcode: OPCODES.PING, payload: Buffer.from('p1') });
    connection.send({ fin: true, rsv: 0, opcode: OPCODES.CONTINUATION, payload: Buffer.from('o!') });
    expect(await connection.waitFor('the echo', () => connection.texts()[1])).toBe('hello!');
    expect(connection.pongs().map((p) => p.toString())).toEqual(['p1']);
    expect(connection.frames.some((f) => f.opcode === OPCODES.PING)).toBe(true);
    await expect.poll(() => pongs).toEqual(['are you there']);
    connection.destroy();
  });

  it('records the close code of a frame the server refuses, and answers the close', async () => {
    const connection = await open();
    connection.send({ ...textFrame('x'), masked: false });
    await connection.whenEnded();
    expect(connection.closeFrame).toEqual({ code: 1002, reason: '' });

    const large = await open();
    large.send(textFrame('y'.repeat(65)));
    await large.whenEnded();
    expect(large.closeFrame?.code).toBe(1009);
  });

  it('closes cleanly when it sends a close', async () => {
    const connection = await open();
    connection.send({ fin: true, rsv: 0, opcode: OPCODES.CLOSE, payload: closePayload(4000, 'bye') });
    await connection.whenEnded();
    expect(connection.closeFrame).toEqual({ code: 4000, reason: 'bye' });
    expect(connection.socketError).toBeNull();
  });

  it('reports a refused upgrade with its status, headers and body', async () => {
    const refused = await RawWsConnection.open(`${url}/full`);
    expect(refused).toEqual({ kind: 'refused', status: 503, headers: expect.objectContaining({ 'retry-after': '5' }), body: '{"code":"TOO_MANY_CONNECTIONS"}' });
  });

  it('fails the open when nothing answers in time', async () => {
    server.removeAllListeners('upgrade');
    server.on('upgrade', (_request, socket) => upgrading.add(socket));
    await expect(RawWsConnection.open(url, { timeoutMs: 100 })).rejects.toThrow('no handshake answer');
  });
});
