import { randomBytes } from 'node:crypto';
import type { Clock, IsoDate } from '@scanner/market-calendar';
import { type RedisKeys, encodeRankingStreamEntry, encodeScannerRows, encodeSequence, encodeTradingDate } from '@scanner/redis-keys';
import { type RankingDelta, type ScannerList, type ScannerRow, applyRankingDeltas } from '@scanner/shared-types';
import { type ScannerServer, createScannerServer, loadConfig } from '@scanner/websocket-server';
import { Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import WebSocket from 'ws';

/**
 * The world of the hostile-client and access scenarios: the real WebSocket server in this process on a
 * random Redis key prefix, an upstream writer that plays the scanner (DESIGN 4.2), and well-behaved
 * clients that rebuild their tables as a frontend does.
 */

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export function randomPrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}

/** A clock that starts at `iso` and runs in real time: a known trading day, real timers. */
export function clockStartingAt(iso: string): Clock {
  const offset = Date.parse(iso) - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

/** Polls until `check` returns a value, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Deletes every key under the prefix (SCAN, never KEYS or FLUSHDB). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

export interface RunningServer {
  readonly server: ScannerServer;
  readonly wsUrl: string;
  readonly httpUrl: string;
}

/** The real server, configured by `env` like its main.ts is, on 127.0.0.1 and a free port. */
export async function startServer(options: { readonly prefix: string; readonly clock: Clock; readonly env?: Record<string, string>; readonly logger?: Logger }): Promise<RunningServer> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL, REDIS_KEY_PREFIX: options.prefix, STREAM_BLOCK_MS: '100', ...options.env });
  const server = createScannerServer({
    config,
    logger: options.logger ?? pino({ level: 'silent' }),
    clock: options.clock,
    redis: {
      commands: new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }),
      subscriber: new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }),
      stream: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
    },
  });
  await server.start();
  const { port } = server.address();
  return { server, wsUrl: `ws://127.0.0.1:${port}${config.wsPath}`, httpUrl: `http://127.0.0.1:${port}` };
}

/** Rows as the upstream scanner ranks them. */
export function makeRows(count: number, timestamp: string, tag = 'S'): ScannerRow[] {
  return Array.from({ length: count }, (_, i) => ({ symbol: `${tag}${String(i).padStart(3, '0')}`, rank: i + 1, timestamp, price: 10 + i, change_percent: 5 - i * 0.1 }));
}

/**
 * Writes as the upstream scanner does: SET scanner:category:<L> and scanner:sequence:<L>, and XADD the
 * entry, in one MULTI. Keeps each list's true rows, for comparing with what a client rebuilt.
 */
export class Upstream {
  private readonly lists = new Map<ScannerList, { sequence: number; rows: ScannerRow[] }>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => string,
  ) {}

  rowsOf(list: ScannerList): ScannerRow[] {
    return this.lists.get(list)?.rows ?? [];
  }

  sequenceOf(list: ScannerList): number {
    return this.lists.get(list)?.sequence ?? 0;
  }

  async setCurrentDay(date: IsoDate): Promise<void> {
    await this.redis.set(this.keys.tradingCurrentDay, encodeTradingDate(date));
  }

  async snapshot(list: ScannerList, rows: ScannerRow[]): Promise<number> {
    const sequence = this.sequenceOf(list) + 1;
    const timestamp = this.now();
    this.lists.set(list, { sequence, rows });
    await this.write(list, encodeRankingStreamEntry({ type: 'snapshot', list, sequence, rows, timestamp, count: rows.length }));
    return sequence;
  }

  /** An update of the top row's price, as a delta: always applicable, visible in the rows. */
  async priceTick(list: ScannerList): Promise<number> {
    const current = this.lists.get(list);
    const top = current?.rows[0];
    if (current === undefined || top === undefined) throw new Error('test bug: priceTick on an empty list');
    const timestamp = this.now();
    const deltas: RankingDelta[] = [{ action: 'update', rank: top.rank, symbol: top.symbol, data: { ...top, price: Number(top['price']) + 1, timestamp } }];
    const applied = applyRankingDeltas(current.rows, deltas, timestamp);
    if (!applied.ok) throw new Error(`test bug: ${applied.error.message}`);
    const sequence = current.sequence + 1;
    this.lists.set(list, { sequence, rows: applied.value });
    await this.write(list, encodeRankingStreamEntry({ type: 'delta', list, sequence, deltas, timestamp, change_count: deltas.length }));
    return sequence;
  }

  private async write(list: ScannerList, entry: string[]): Promise<void> {
    const state = this.lists.get(list);
    if (state === undefined) throw new Error('unreachable');
    const results = await this.redis
      .multi()
      .set(this.keys.scannerCategory(list), encodeScannerRows(state.rows))
      .set(this.keys.scannerSequence(list), encodeSequence(state.sequence))
      .xadd(this.keys.rankingDeltas, '*', ...entry)
      .exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed) throw failed[0];
  }
}

/** Writes a tick to each list every `intervalMs` until stopped; `stop()` resolves after the last write. */
export function tickContinuously(upstream: Upstream, lists: readonly ScannerList[], intervalMs: number): { stop(): Promise<number> } {
  let running = true;
  let ticks = 0;
  const loop = (async () => {
    while (running) {
      for (const list of lists) await upstream.priceTick(list);
      ticks++;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return ticks;
    },
  };
}

export type Message = { readonly type: string; readonly [field: string]: unknown };

/** A well-behaved client on the `ws` library: records every message and the close, never misbehaves. */
export class WsClient {
  readonly messages: Message[] = [];
  closed: { readonly code: number; readonly reason: string } | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.messages.push(JSON.parse(String(data)) as Message));
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
    socket.on('error', () => undefined);
  }

  /** Opens and waits for `connected`. */
  static async connect(url: string, options: WebSocket.ClientOptions = {}): Promise<WsClient> {
    const client = new WsClient(new WebSocket(url, options));
    await new Promise<void>((resolve, reject) => {
      client.socket.once('open', () => resolve());
      client.socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode ?? 0}`)));
      client.socket.once('error', reject);
    });
    await client.next((m) => m.type === 'connected');
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  next(match: (m: Message) => boolean, options: { from?: number; timeoutMs?: number; what?: string } = {}): Promise<Message> {
    return waitFor(options.what ?? 'a matching message', () => this.messages.slice(options.from ?? 0).find(match), options.timeoutMs);
  }

  async subscribe(list: ScannerList): Promise<Message> {
    const from = this.messages.length;
    this.send({ action: 'subscribe_list', list });
    return this.next((m) => m.type === 'snapshot' && m['list'] === list, { from, what: `the snapshot of ${list}` });
  }

  listMessages(list: string): Message[] {
    return this.messages.filter((m) => (m.type === 'snapshot' || m.type === 'delta') && m['list'] === list);
  }

  /** The highest sequence received for the list (-1 for none). */
  sequenceOf(list: string): number {
    return this.listMessages(list).reduce((max, m) => Math.max(max, Number(m['sequence'])), -1);
  }

  /** Rebuilds the list as a frontend does; throws on a delta that does not follow or does not apply. */
  rebuild(list: string): { rows: ScannerRow[]; sequence: number; snapshots: number; deltas: number } {
    let rows: ScannerRow[] = [];
    let sequence = -1;
    let snapshots = 0;
    let deltas = 0;
    for (const m of this.listMessages(list)) {
      if (m.type === 'snapshot') {
        rows = m['rows'] as ScannerRow[];
        sequence = m['sequence'] as number;
        snapshots++;
        continue;
      }
      if (m['sequence'] !== sequence + 1) throw new Error(`${list}: delta ${String(m['sequence'])} after ${sequence}`);
      const applied = applyRankingDeltas(rows, m['deltas'] as never, m['timestamp'] as string);
      if (!applied.ok) throw new Error(`${list}: ${applied.error.message}`);
      rows = applied.value;
      sequence = m['sequence'] as number;
      deltas++;
    }
    return { rows, sequence, snapshots, deltas };
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(1000);
  }
}

/** The value of a metric in /metrics text (summed over the samples whose labels include `labels`). */
export async function metricValue(httpUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const sample = new Map([...(match[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => sample.get(k) === v)) total += Number(match[4]);
  }
  return total;
}

