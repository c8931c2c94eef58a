import type { ScannerList, ScannerRow } from '@scanner/shared-types';
import { applyRankingDeltas } from '@scanner/shared-types';
import WebSocket from 'ws';
import { waitFor } from '../src/wait-until.js';

/** Under a flood of hostile traffic the server answers slower than on a quiet day: wait longer by default. */
export const WAIT_MS = 10_000;

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
    return waitFor(options.what ?? 'a matching message', () => this.messages.slice(options.from ?? 0).find(match), options.timeoutMs ?? WAIT_MS);
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
