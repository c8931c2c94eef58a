import { type ScannerList, type ScannerRow, type ServerMessage, applyRankingDeltas, parseServerMessage } from '@scanner/shared-types';
import WebSocket from 'ws';
import { type RebuiltTable, rebuildTable } from './list-table-rebuild.js';
import { waitFor } from './wait-until.js';

export interface RefusedFrame {
  readonly text: string;
  readonly code: string;
  readonly message: string;
}

export interface ListTable {
  readonly epoch: string;
  readonly sequence: number;
  readonly rows: ScannerRow[];
}

export interface SubscribeOptions {
  readonly resume?: { readonly epoch: string; readonly sequence: number };
  readonly timeoutMs?: number;
}

/**
 * A real `ws` client that runs every frame through shared-types' parseServerMessage, as a client SDK
 * would: `refused` collects what the parser rejects, so a scenario can assert no client ever got a
 * malformed message. It keeps each list's table live by the protocol's client rules (4.1), recording
 * any sequence break in `breaks` instead of resyncing, so a corrupted stream shows as a failure.
 */
export class CheckedClient {
  readonly messages: ServerMessage[] = [];
  readonly refused: RefusedFrame[] = [];
  readonly breaks: string[] = [];
  private readonly tables = new Map<string, ListTable>();
  closed: { readonly code: number; readonly reason: string } | null = null;

  private constructor(
    readonly name: string,
    readonly socket: WebSocket,
  ) {
    // A binary frame is never a protocol message: it goes to `refused` like any other bad frame.
    socket.on('message', (data, isBinary) => this.receive(isBinary ? `<binary ${String(data)}>` : String(data)));
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
    socket.on('error', () => undefined);
  }

  /** Opens and waits for the server's `connected` frame. */
  static async connect(url: string, name = 'client'): Promise<CheckedClient> {
    const client = new CheckedClient(name, new WebSocket(url));
    await new Promise<void>((resolve, reject) => {
      client.socket.once('open', () => resolve());
      client.socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode ?? 0}`)));
      client.socket.once('error', reject);
    });
    await client.next((m) => m.type === 'connected', { what: 'the connected frame' });
    return client;
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  /** The first message from index `from` on that matches, waiting for it. */
  next(match: (m: ServerMessage) => boolean, options: { from?: number; timeoutMs?: number; what?: string } = {}): Promise<ServerMessage> {
    return waitFor(`${this.name}: ${options.what ?? 'a matching message'}`, () => this.messages.slice(options.from ?? 0).find(match), options.timeoutMs);
  }

  /** Sends subscribe_list and waits for its answer: the snapshot, an error about the list, or (resuming) subscribed_list. */
  async subscribe(list: string, options: SubscribeOptions = {}): Promise<ServerMessage> {
    const { resume, timeoutMs } = options;
    const from = this.messages.length;
    this.send(resume === undefined ? { action: 'subscribe_list', list } : { action: 'subscribe_list', list, resume });
    return this.next((m) => (m.type === 'snapshot' || m.type === 'error' || (resume !== undefined && m.type === 'subscribed_list')) && m.list === list, {
      from,
      what: `the answer to subscribe ${list}`,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  }

  /** Ping, then the pong: the server answers in order, so whatever it queued for this client before has arrived. */
  async barrier(): Promise<void> {
    const from = this.messages.length;
    this.send({ action: 'ping' });
    await this.next((m) => m.type === 'pong', { from, what: 'the pong' });
  }

  /** The live table of `list`; undefined before its snapshot or after a break. */
  table(list: string): ListTable | undefined {
    return this.tables.get(list);
  }

  /** The table of `list` rebuilt from every frame received; throws TableBreak on a gap, duplicate or conflict. */
  rebuilt(list: ScannerList): RebuiltTable {
    return rebuildTable(this.messages, list);
  }

  /** The snapshot and delta frames of `list` from index `from` on, in arrival order. */
  frames(list: string, from = 0): ServerMessage[] {
    return this.messages.slice(from).filter((m) => (m.type === 'snapshot' || m.type === 'delta') && m.list === list);
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.terminate();
  }

  private receive(text: string): void {
    const parsed = parseServerMessage(text);
    if (!parsed.ok) {
      this.refused.push({ text: text.slice(0, 500), code: parsed.error.code, message: parsed.error.message });
      return;
    }
    const message = parsed.value;
    this.messages.push(message);
    switch (message.type) {
      case 'new_day':
        this.tables.clear();
        break;
      case 'snapshot':
        this.tables.set(message.list, { epoch: message.epoch, sequence: message.sequence, rows: [...message.rows] });
        break;
      case 'delta': {
        const held = this.tables.get(message.list);
        if (held === undefined || held.epoch !== message.epoch || message.sequence !== held.sequence + 1) {
          this.breaks.push(`${message.list}: delta ${message.epoch}/${message.sequence} on ${held === undefined ? 'nothing' : `${held.epoch}/${held.sequence}`}`);
          this.tables.delete(message.list);
          break;
        }
        const applied = applyRankingDeltas(held.rows, message.deltas, message.timestamp);
        if (!applied.ok) {
          this.breaks.push(`${message.list}: delta ${message.sequence} does not apply: ${applied.error.message}`);
          this.tables.delete(message.list);
          break;
        }
        this.tables.set(message.list, { epoch: message.epoch, sequence: message.sequence, rows: applied.value });
        break;
      }
      default:
        break;
    }
  }
}
