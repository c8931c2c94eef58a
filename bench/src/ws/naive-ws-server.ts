/**
 * Baseline 2: the naive way with plain `ws`. Speaks our protocol (the same JSON messages, so the same
 * clients measure it), but every message is JSON.stringify'd again for every recipient, each subscribe
 * reads the list from Redis, and sends never look at a socket's buffer (no backpressure, no slow-client
 * handling). Run with `PORT=... REDIS_KEY_PREFIX=... tsx naive-ws-server.ts`; clients connect at /ws/scanner.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createRedisKeys } from '@scanner/redis-keys';
import {
  SCANNER_LISTS,
  type ScannerList,
  encodeConnected,
  encodeDelta,
  encodeSnapshot,
  encodeSubscribedList,
  encodeUnsubscribedList,
  parseClientMessage,
} from '@scanner/shared-types';
import { Redis } from 'ioredis';
import { type WebSocket, WebSocketServer } from 'ws';
import { baselineEnv } from './servers/baseline-env.js';
import { readEpoch, readStoredList, tailRankingStream } from './servers/list-source.js';

const env = baselineEnv(process.env);
const keys = createRedisKeys(env.redisKeyPrefix);
const commands = new Redis(env.redisUrl, { connectionName: 'bench-naive:commands' });
const stream = new Redis(env.redisUrl, { connectionName: 'bench-naive:stream' });
const epoch = await readEpoch(commands, keys);

const subscribers = new Map<ScannerList, Set<WebSocket>>(SCANNER_LISTS.map((list) => [list, new Set<WebSocket>()]));

const httpServer = createServer((request, response) => {
  response.writeHead(request.url === '/healthz' ? 200 : 404).end();
});
const wss = new WebSocketServer({ server: httpServer, path: '/ws/scanner', perMessageDeflate: false });

wss.on('connection', (socket) => {
  socket.send(encodeConnected({ connection_id: randomUUID(), epoch, lists: SCANNER_LISTS, server_time: new Date().toISOString() }));
  socket.on('message', async (data: Buffer) => {
    const parsed = parseClientMessage(data.toString('utf8'));
    if (!parsed.ok) return;
    const message = parsed.value;
    if (message.action === 'subscribe_list') {
      subscribers.get(message.list)?.add(socket);
      const { rows, sequence } = await readStoredList(commands, keys, message.list);
      socket.send(encodeSubscribedList({ list: message.list, epoch, sequence }));
      socket.send(encodeSnapshot({ list: message.list, epoch, sequence, rows, timestamp: new Date().toISOString() }));
    } else if (message.action === 'unsubscribe_list') {
      subscribers.get(message.list)?.delete(socket);
      socket.send(encodeUnsubscribedList({ list: message.list }));
    }
  });
  socket.on('close', () => {
    for (const set of subscribers.values()) set.delete(socket);
  });
});

let stopping = false;
const tail = tailRankingStream(
  stream,
  keys,
  (entry) => {
    for (const socket of subscribers.get(entry.list) ?? []) {
      // The naive part: a fresh string per recipient.
      socket.send(
        entry.type === 'delta'
          ? encodeDelta({ list: entry.list, epoch, sequence: entry.sequence, deltas: entry.deltas, timestamp: entry.timestamp })
          : encodeSnapshot({ list: entry.list, epoch, sequence: entry.sequence, rows: entry.rows, timestamp: entry.timestamp }),
      );
    }
  },
  () => stopping,
);
tail.catch((error: unknown) => {
  process.stderr.write(`naive-ws-server: stream tail failed: ${String(error)}\n`);
  process.exit(1);
});

httpServer.listen(env.port, '127.0.0.1');

process.once('SIGTERM', () => {
  stopping = true;
  wss.close();
  stream.disconnect();
  commands.disconnect();
  process.exit(0);
});
