import { type ScannerRow, applyRankingDeltas } from '@scanner/shared-types';
import WebSocket from 'ws';
import { waitFor } from './wait.js';

// Test-side view of a server frame: loosely typed on purpose, the tests assert the fields.
export type Message = { readonly type: string; readonly [field: string]: unknown };

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

/** A real `ws` client that records every frame and the close, for assertions. */
export class TestClient {
  readonly messages: Message[] = [];
  closed: Closed | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.messages.push(JSON.parse(String(data)) as Message));
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
    socket.on('error', () => undefined);
  }

  /** Opens and waits for the server's `connected` frame. */
  static async connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const socket = new WebSocket(url, options);
    const client = new TestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_req, res) => reject(new UpgradeRefused(res.statusCode ?? 0)));
      socket.once('error', reject);
    });
    await client.next((m) => m.type === 'connected');
    return client;
  }

  /** The connection id from the server's `connected` frame. */
  get connectionId(): string {
    return String(this.messages.find((m) => m.type === 'connected')?.['connection_id']);
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first recorded message (from index `from`) matching, waiting for it if needed. */
  next(match: (m: Message) => boolean, options: { from?: number; timeoutMs?: number; what?: string } = {}): Promise<Message> {
    return waitFor(options.what ?? 'a matching message', () => this.messages.slice(options.from ?? 0).find(match), options.timeoutMs);
  }

  waitForClose(timeoutMs?: number): Promise<Closed> {
    return waitFor('the socket to close', () => this.closed ?? undefined, timeoutMs);
  }

  /** The snapshot and delta frames of one list, in arrival order. */
  listMessages(list: string): Message[] {
    return this.messages.filter((m) => (m.type === 'snapshot' || m.type === 'delta') && m['list'] === list);
  }

  /**
   * Ping, then wait for the pong: the server answers in order on one connection, so anything it had
   * queued for this client before handling the ping has arrived once the pong has.
   */
  async barrier(): Promise<void> {
    const from = this.messages.length;
    this.send({ action: 'ping' });
    await this.next((m) => m.type === 'pong', { from, what: 'the pong' });
  }

  errors(): Message[] {
    return this.messages.filter((m) => m.type === 'error');
  }

  /** Subscribes and waits for the snapshot (or the subscribed_list, when resuming). */
  async subscribe(list: string, resume?: { epoch: string; sequence: number }): Promise<Message> {
    const from = this.messages.length;
    this.send(resume === undefined ? { action: 'subscribe_list', list } : { action: 'subscribe_list', list, resume });
    const expected = resume === undefined ? 'snapshot' : 'subscribed_list';
    return this.next((m) => m.type === expected && m['list'] === list, { from, what: `${expected} of ${list}` });
  }

  /** Rebuilds the list from its snapshot and deltas as a frontend would; throws on a sequence break. */
  rebuild(list: string): { rows: ScannerRow[]; sequence: number } {
    let rows: ScannerRow[] = [];
    let sequence = -1;
    for (const m of this.listMessages(list)) {
      if (m.type === 'snapshot') {
        rows = m['rows'] as ScannerRow[];
        sequence = m['sequence'] as number;
        continue;
      }
      if (m['sequence'] !== sequence + 1) throw new Error(`delta ${String(m['sequence'])} after ${sequence}`);
      const applied = applyRankingDeltas(rows, m['deltas'] as never, m['timestamp'] as string);
      if (!applied.ok) throw new Error(applied.error.message);
      rows = applied.value;
      sequence = m['sequence'] as number;
    }
    return { rows, sequence };
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.terminate();
  }
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

/** The HTTP status a refused upgrade answered with. */
export async function upgradeStatus(url: string, options: WebSocket.ClientOptions = {}): Promise<number> {
  try {
    const client = await TestClient.connect(url, options);
    client.close();
    return 101;
  } catch (error) {
    if (error instanceof UpgradeRefused) return error.status;
    throw error;
  }
}
