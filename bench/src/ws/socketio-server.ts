/**
 * Baseline 1: the same service written the usual socket.io 4.8 way. One room per list; a subscriber
 * joins the room and gets the list's snapshot; every stream entry is one `io.to(list).emit(...)`, which
 * socket.io encodes once per broadcast and writes to every member of the room. Snapshots on join are
 * read from Redis (one MGET per list and sequence, shared by the joins waiting for it). Run with
 * `PORT=... REDIS_KEY_PREFIX=... tsx socketio-server.ts`; clients connect at /socket.io/.
 */
import { createServer } from 'node:http';
import { createRedisKeys } from '@scanner/redis-keys';
import { type ScannerList, isScannerList } from '@scanner/shared-types';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { baselineEnv } from './servers/baseline-env.js';
import { type StoredList, readEpoch, readStoredList, tailRankingStream } from './servers/list-source.js';

const env = baselineEnv(process.env);
const keys = createRedisKeys(env.redisKeyPrefix);
const commands = new Redis(env.redisUrl, { connectionName: 'bench-socketio:commands' });
const stream = new Redis(env.redisUrl, { connectionName: 'bench-socketio:stream' });
const epoch = await readEpoch(commands, keys);

/** The pending or finished read of each list, dropped when the stream moves the list on. */
const stored = new Map<ScannerList, Promise<StoredList>>();
function storedList(list: ScannerList): Promise<StoredList> {
  let read = stored.get(list);
  if (read === undefined) {
    read = readStoredList(commands, keys, list);
    stored.set(list, read);
    read.catch(() => stored.delete(list));
  }
  return read;
}

const httpServer = createServer((request, response) => {
  response.writeHead(request.url === '/healthz' ? 200 : 404).end();
});
const io = new Server(httpServer, { serveClient: false, perMessageDeflate: false });

io.on('connection', (socket) => {
  socket.on('subscribe_list', async (body: unknown) => {
    const list = (body as { list?: unknown } | null)?.list;
    if (typeof list !== 'string' || !isScannerList(list)) {
      socket.emit('error_message', { code: 'UNKNOWN_LIST', message: 'unknown list', list: String(list) });
      return;
    }
    // Join first: an update emitted while the snapshot is read reaches this socket too.
    await socket.join(list);
    try {
      const { rows, sequence } = await storedList(list);
      socket.emit('snapshot', { list, epoch, sequence, rows, count: rows.length, timestamp: new Date().toISOString() });
    } catch {
      socket.emit('error_message', { code: 'SNAPSHOT_UNAVAILABLE', message: 'list unavailable', list });
    }
  });
  socket.on('unsubscribe_list', async (body: unknown) => {
    const list = (body as { list?: unknown } | null)?.list;
    if (typeof list === 'string') await socket.leave(list);
  });
});

let stopping = false;
const tail = tailRankingStream(
  stream,
  keys,
  (entry) => {
    stored.delete(entry.list);
    if (entry.type === 'delta') {
      const { list, sequence, deltas, change_count, timestamp } = entry;
      io.to(list).emit('delta', { list, epoch, sequence, deltas, change_count, timestamp });
    } else {
      const { list, sequence, rows, count, timestamp } = entry;
      io.to(list).emit('snapshot', { list, epoch, sequence, rows, count, timestamp });
    }
  },
  () => stopping,
);
tail.catch((error: unknown) => {
  process.stderr.write(`socketio-server: stream tail failed: ${String(error)}\n`);
  process.exit(1);
});

httpServer.listen(env.port, '127.0.0.1');

process.once('SIGTERM', () => {
  stopping = true;
  io.close();
  stream.disconnect();
  commands.disconnect();
  process.exit(0);
});
