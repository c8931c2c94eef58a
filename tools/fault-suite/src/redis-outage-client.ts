import { type ScannerList, type ServerMessage, parseServerMessage } from '@scanner/shared-types';
import WebSocket from 'ws';
import { type RebuiltTable, rebuildTable } from './redis-outage-table.js';
import { waitFor } from './redis-outage-wait.js';

/**
 * A real `ws` client that records every server frame, checked against the protocol's validator: a
 * frame the validator refuses is kept in `invalid`, so a test can assert the server never sent one.
 */
export class RecordingClient {
  readonly messages: ServerMessage[] = [];
  readonly invalid: string[] = [];
  closed: { readonly code: number; readonly reason: string } | null = null;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: WebSocket.RawData) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
      const parsed = parseServerMessage(text);
      if (parsed.ok) this.messages.push(parsed.value);
      else this.invalid.push(`${parsed.error.code}: ${text.slice(0, 200)}`);
    });
    socket.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString() };
    });
    socket.on('error', () => undefined);
  }

  /** Opens and waits for the server's `connected` frame. */
  static async connect(url: string): Promise<RecordingClient> {
    const socket = new WebSocket(url);
    const client = new RecordingClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await client.next((m) => m.type === 'connected', { what: 'the connected frame' });
    return client;
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  /** The first message from index `from` on that matches, waiting for it. */
  next(match: (m: ServerMessage) => boolean, options: { from?: number; timeoutMs?: number; what?: string } = {}): Promise<ServerMessage> {
    return waitFor(options.what ?? 'a matching frame', () => this.messages.slice(options.from ?? 0).find(match), options.timeoutMs);
  }

  /** Sends subscribe_list and waits for its answer: the snapshot, or an error about the list. */
  async subscribe(list: ScannerList, timeoutMs = 5_000): Promise<ServerMessage> {
    const from = this.messages.length;
    this.send({ action: 'subscribe_list', list });
    return this.next((m) => (m.type === 'snapshot' || m.type === 'error') && m.list === list, { from, timeoutMs, what: `the answer to subscribing ${list}` });
  }

  /** Ping, then the pong: the server answers in order, so whatever it queued before has arrived. */
  async barrier(): Promise<void> {
    const from = this.messages.length;
    this.send({ action: 'ping' });
    await this.next((m) => m.type === 'pong', { from, what: 'the pong' });
  }

  table(list: ScannerList): RebuiltTable {
    return rebuildTable(this.messages, list);
  }

  /** The snapshot and delta frames of `list` from index `from` on. */
  frames(list: ScannerList, from = 0): ServerMessage[] {
    return this.messages.slice(from).filter((m) => (m.type === 'snapshot' || m.type === 'delta') && m.list === list);
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.terminate();
  }
}
