import { type ScannerRow, type ServerMessage, applyRankingDeltas, parseServerMessage } from '@scanner/shared-types';
import WebSocket from 'ws';

/** Polls until `check` gives a value other than undefined/false, or throws naming `what` at the deadline. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

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

/**
 * A real `ws` client that runs every frame through shared-types' parseServerMessage, as a client SDK
 * would: `refused` collects what the parser rejects, so a scenario can assert no client ever got a
 * malformed message. It rebuilds each list's table by the protocol's client rules (4.1), recording any
 * sequence break instead of resyncing, so a corrupted stream shows as a failure.
 */
export class WatchingClient {
  readonly messages: ServerMessage[] = [];
  readonly refused: RefusedFrame[] = [];
  readonly breaks: string[] = [];
  private readonly tables = new Map<string, ListTable>();
  closed: { code: number; reason: string } | null = null;

  private constructor(
    readonly name: string,
    readonly socket: WebSocket,
  ) {
    socket.on('message', (data, isBinary) => this.receive(isBinary ? `<binary ${String(data)}>` : String(data)));
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
    socket.on('error', () => undefined);
  }

  static async connect(url: string, name: string): Promise<WatchingClient> {
    const client = new WatchingClient(name, new WebSocket(url));
    await new Promise<void>((resolve, reject) => {
      client.socket.once('open', () => resolve());
      client.socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode ?? 0}`)));
      client.socket.once('error', reject);
    });
    await client.next((m) => m.type === 'connected', { what: 'connected' });
    return client;
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  next(match: (m: ServerMessage) => boolean, options: { from?: number; timeoutMs?: number; what?: string } = {}): Promise<ServerMessage> {
    return waitFor(`${this.name}: ${options.what ?? 'a matching message'}`, () => this.messages.slice(options.from ?? 0).find(match), options.timeoutMs);
  }

  async subscribe(list: string, resume?: { epoch: string; sequence: number }): Promise<ServerMessage> {
    const from = this.messages.length;
    this.send(resume === undefined ? { action: 'subscribe_list', list } : { action: 'subscribe_list', list, resume });
    return this.next((m) => (m.type === 'snapshot' || m.type === 'error' || (resume !== undefined && m.type === 'subscribed_list')) && m.list === list, {
      from,
      what: `the answer to subscribe ${list}`,
    });
  }

  /** Everything the server queued for this client before it handled the ping has arrived once the pong has. */
  async barrier(): Promise<void> {
    const from = this.messages.length;
    this.send({ action: 'ping' });
    await this.next((m) => m.type === 'pong', { from, what: 'the pong' });
  }

  table(list: string): ListTable | undefined {
    return this.tables.get(list);
  }

  /** The frames about one list (snapshot and delta), in arrival order. */
  listMessages(list: string): ServerMessage[] {
    return this.messages.filter((m) => (m.type === 'snapshot' || m.type === 'delta') && m.list === list);
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
