import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runFuzzSession } from './frame-fuzzer-session.js';
import { planSessions } from './frame-fuzzer-plan.js';
import { type FuzzCase, generateFuzzCases } from './frame-fuzzer.js';
import { textFrame } from './ws-raw-framer.js';

/**
 * A bare `ws` server that only greets: the frame-level cases (pings, protocol violations, bad UTF-8,
 * oversized, fragment and close rules) are the library's to answer, so they can be checked without the app.
 */
let server: Server;
let wss: WebSocketServer;
let url: string;

beforeAll(async () => {
  wss = new WebSocketServer({ noServer: true, maxPayload: 8192 });
  wss.on('connection', (socket) => {
    socket.send(JSON.stringify({ type: 'connected' }));
    socket.on('error', () => undefined);
  });
  server = createServer();
  server.on('upgrade', (request, socket, head) => wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const client of wss.clients) client.terminate();
  wss.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const FRAME_LEVEL = new Set(['ping_flood', 'pong_flood', 'ping_burst', 'protocol_violation', 'invalid_utf8', 'oversized', 'too_many_fragments', 'client_close']);

describe('runFuzzSession', () => {
  it('finds every frame-level case answered as expected by the ws library', async () => {
    const cases = generateFuzzCases({ seed: 99, count: 3000, maxPayloadBytes: 8192, maxMessageLength: 4096 }).filter((c) => FRAME_LEVEL.has(c.category));
    const sessions = planSessions(cases, 100);
    const outcomes = await Promise.all(sessions.map((session) => runFuzzSession(url, session)));
    expect(outcomes.flatMap((o) => o.problems)).toEqual([]);
    const codes = new Set(outcomes.map((o) => o.closeCode));
    for (const code of [1000, 1002, 1006, 1007, 1009]) expect(codes.has(code), String(code)).toBe(true);
    expect(outcomes.reduce((n, o) => n + o.pongs, 0)).toBeGreaterThan(100);
  }, 30_000);

  it('reports a missing reply and a wrong close code', async () => {
    const wantsPong: FuzzCase = { id: 1, category: 'ping', frames: [textFrame('{"action":"ping"}')], expect: { kind: 'pong' }, pings: [], messages: 1, fragmented: false };
    const wrongClose: FuzzCase = { id: 2, category: 'oversized', frames: [textFrame('x'.repeat(10))], expect: { kind: 'close', code: 1009 }, pings: [], messages: 0, fragmented: false };
    const outcome = await runFuzzSession(url, [wantsPong, wrongClose], 500);
    expect(outcome.problems).toEqual([
      'timed out waiting for the close frame',
      'timed out waiting for the socket to close',
      'case 2 (oversized): closed with nothing, expected 1009',
      'case 1 (ping): got "nothing", expected {"type":"pong"}',
    ]);
  });
});
