import { type Server as HttpServer, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SCANNER_LISTS, encodeConnected, encodeDelta, encodeNewDay, encodeSnapshot, parseClientMessage } from '@scanner/shared-types';
import { Server as SocketIoServer } from 'socket.io';
import { io as socketIoClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { DeliveryStats } from './delivery-stats.js';
import { LoadClient, type LoadClientEvents } from './load-client.js';

/**
 * The load client against real servers on localhost (no Redis): socket.io's own server for the
 * hand-written socket.io wire handling, a `ws` server sending our encoders' messages for ours.
 */

const EPOCH = '2026-11-20';
const deltaOf = (list: (typeof SCANNER_LISTS)[number], sequence: number, timestamp: string) => ({
  list,
  epoch: EPOCH,
  sequence,
  deltas: [{ action: 'rerank' as const, symbol: 'AAA', old_rank: 1, new_rank: 2 }],
  timestamp,
});

function recordingEvents() {
  const seen = { complete: 0, newDay: 0, closed: [] as number[] };
  const events: LoadClientEvents = {
    snapshotsComplete: () => void (seen.complete += 1),
    newDay: () => void (seen.newDay += 1),
    closed: (_client, code) => void seen.closed.push(code),
  };
  return { seen, events };
}

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !done(); i += 1) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function listen(server: HttpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('LoadClient over socket.io', () => {
  it('connects, subscribes to every list, and records deltas emitted to the rooms as the real client sees them', async () => {
    const http = createServer();
    const io = new SocketIoServer(http, { serveClient: false });
    io.on('connection', (socket) => {
      socket.on('subscribe_list', async ({ list }: { list: string }) => {
        await socket.join(list);
        socket.emit('snapshot', { list, epoch: EPOCH, sequence: 7, rows: [], count: 0, timestamp: new Date().toISOString() });
      });
    });
    cleanups.push(() => void io.close());
    const baseUrl = await listen(http);

    const stats = new DeliveryStats(1);
    const { seen, events } = recordingEvents();
    const client = new LoadClient(0, { baseUrl, protocol: 'socketio', stats, events });
    await client.connect(true);
    cleanups.push(() => client.terminate());
    const real = socketIoClient(baseUrl, { transports: ['websocket'] });
    cleanups.push(() => void real.close());
    const realDeltas: unknown[] = [];
    real.on('delta', (payload: unknown) => realDeltas.push(payload));
    await new Promise<void>((resolve) => real.on('connect', () => resolve()));
    real.emit('subscribe_list', { list: 'winners' });
    await until(() => seen.complete === 1 && io.sockets.adapter.rooms.get('winners')?.size === 2);

    stats.start();
    const sent = new Date(Date.now() - 25).toISOString();
    io.to('winners').emit('delta', { ...deltaOf('winners', 8, sent), change_count: 1 });
    io.to('losers').emit('delta', { ...deltaOf('losers', 9, sent), change_count: 1 });
    await until(() => stats.current().deltas === 2 && realDeltas.length === 1);
    const report = stats.stop();
    expect(report.counts).toMatchObject({ deltas: 2, gaps: 1, errors: 0, crossChecked: 2, crossCheckMismatches: 0 });
    expect(report.latency.count).toBe(2);
    expect(report.latency.buckets[0]?.[0]).toBeGreaterThanOrEqual(25);
    expect(realDeltas[0]).toMatchObject({ list: 'winners', sequence: 8, timestamp: sent });
  });
});

describe('LoadClient over our protocol', () => {
  it('subscribes with subscribe_list, follows sequences and hears new_day', async () => {
    const http = createServer();
    const wss = new WebSocketServer({ server: http, path: '/ws/scanner' });
    cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    const subscribed: string[] = [];
    wss.on('connection', (socket) => {
      socket.send(encodeConnected({ connection_id: 'c1', epoch: EPOCH, lists: SCANNER_LISTS, server_time: new Date().toISOString() }));
      socket.on('message', (data: Buffer) => {
        const parsed = parseClientMessage(data.toString());
        if (!parsed.ok || parsed.value.action !== 'subscribe_list') return;
        subscribed.push(parsed.value.list);
        socket.send(encodeSnapshot({ list: parsed.value.list, epoch: EPOCH, sequence: 3, rows: [], timestamp: new Date().toISOString() }));
        if (subscribed.length === SCANNER_LISTS.length) {
          socket.send(encodeDelta(deltaOf('momentum_up', 4, new Date().toISOString())));
          socket.send(encodeNewDay({ epoch: '2026-11-23', date: '2026-11-23' }));
        }
      });
    });
    const baseUrl = await listen(http);

    const stats = new DeliveryStats(1);
    stats.start();
    const { seen, events } = recordingEvents();
    const client = new LoadClient(0, { baseUrl, protocol: 'scanner', stats, events });
    await client.connect(true);
    await until(() => seen.newDay === 1);
    expect(subscribed).toEqual([...SCANNER_LISTS]);
    expect(seen.complete).toBe(1);
    expect(client.heldCount).toBe(0);
    expect(stats.stop().counts).toMatchObject({ snapshots: 11, deltas: 1, gaps: 0, unheld: 0, crossCheckMismatches: 0 });
    client.close();
    await until(() => seen.closed.length === 1);
    expect(seen.closed).toEqual([1000]);
  });
});
