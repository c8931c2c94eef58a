import { SCANNER_LISTS } from '@scanner/shared-types';
import { WebSocket } from 'ws';
import { type FrameHead, parsedFields, scannerFrameHead, socketIoEventHead, trailingTimestampMs } from '../frame-fields.js';
import { type DeliveryStats, ListPositions, listIndexOf } from './delivery-stats.js';
import { CONNECT_PACKET, PONG_PACKET, classifySocketIoFrame, eventPacket, socketIoUrl } from './socketio-wire.js';

/** `scanner`: our protocol (websocket-server and the naive ws server); `socketio`: the socket.io baseline. */
export type WireProtocol = 'scanner' | 'socketio';

export interface LoadClientEvents {
  /** All 11 lists hold a snapshot (once per connection). */
  snapshotsComplete(client: LoadClient, at: number): void;
  newDay(client: LoadClient, at: number): void;
  closed(client: LoadClient, code: number): void;
}

export interface LoadClientOptions {
  readonly baseUrl: string;
  readonly protocol: WireProtocol;
  readonly stats: DeliveryStats;
  readonly events: LoadClientEvents;
}

const SCANNER_PATH = '/ws/scanner';

/**
 * One simulated browser: connects, subscribes to every list, keeps each list's sequence like a real
 * client (protocol.md 4.1) and records each delta's delivery latency, reading the frame cheaply
 * (frame-fields.ts) so the load generator stays light. Reusable: connect() again after a close.
 */
export class LoadClient {
  private socket: WebSocket | null = null;
  private positions = new ListPositions();
  private complete = false;

  constructor(
    readonly id: number,
    private readonly options: LoadClientOptions,
  ) {}

  get heldCount(): number {
    return this.positions.heldCount;
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /**
   * Opens the connection; resolves once the server has greeted it (`connected`, or socket.io's namespace
   * CONNECT), rejects if it fails or closes first. With `subscribe`, the 11 subscriptions go out at once.
   */
  connect(subscribe: boolean): Promise<void> {
    this.positions = new ListPositions();
    this.complete = false;
    const { protocol, baseUrl } = this.options;
    const url = protocol === 'scanner' ? `${baseUrl}${SCANNER_PATH}` : socketIoUrl(baseUrl);
    const socket = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
    this.socket = socket;
    return new Promise<void>((resolve, reject) => {
      let greeted = false;
      const greet = () => {
        greeted = true;
        if (subscribe) this.subscribeAll();
        resolve();
      };
      socket.on('message', (data: Buffer) => {
        if (protocol === 'scanner') this.onScannerFrame(data, greeted ? null : greet);
        else this.onSocketIoFrame(socket, data, greeted ? null : greet);
      });
      socket.on('error', (error) => {
        if (!greeted) reject(error);
      });
      socket.on('close', (code) => {
        if (!greeted) reject(new Error(`closed with ${code} before the greeting`));
        if (this.socket === socket) this.socket = null;
        this.options.events.closed(this, code);
      });
    });
  }

  subscribeAll(): void {
    const socket = this.socket;
    if (socket === null) return;
    for (const list of SCANNER_LISTS) {
      socket.send(
        this.options.protocol === 'scanner' ? JSON.stringify({ action: 'subscribe_list', list }) : eventPacket('subscribe_list', { list }),
      );
    }
  }

  close(): void {
    this.socket?.close(1000);
  }

  terminate(): void {
    this.socket?.terminate();
  }

  private onScannerFrame(frame: Buffer, greet: (() => void) | null): void {
    const head = scannerFrameHead(frame);
    if (head === null) return this.options.stats.error();
    if (head.kind === 'connected' && greet !== null) return greet();
    this.onMessage(head, frame, 0);
  }

  private onSocketIoFrame(socket: WebSocket, frame: Buffer, greet: (() => void) | null): void {
    switch (classifySocketIoFrame(frame).kind) {
      case 'open':
        return socket.send(CONNECT_PACKET);
      case 'ping':
        return socket.send(PONG_PACKET);
      case 'connected':
        return greet?.();
      case 'event': {
        const head = socketIoEventHead(frame);
        if (head === null) return this.options.stats.error();
        return this.onMessage(head, frame, 2);
      }
      case 'connect_error':
        return this.options.stats.error();
      default:
        return;
    }
  }

  /** `bodyOffset`: where the JSON text starts (2 for socket.io's `42`). */
  private onMessage(head: FrameHead, frame: Buffer, bodyOffset: number): void {
    const { stats, events } = this.options;
    const now = Date.now();
    stats.message(frame.length);
    switch (head.kind) {
      case 'delta': {
        const list = listIndexOf(head.list);
        const timestamp = trailingTimestampMs(frame);
        if (list < 0 || head.sequence === null || timestamp === null) return stats.error();
        stats.delta(this.positions.onDelta(list, head.sequence), now - timestamp);
        break;
      }
      case 'snapshot': {
        const list = listIndexOf(head.list);
        if (list < 0 || head.sequence === null) return stats.error();
        this.positions.onSnapshot(list, head.sequence);
        stats.snapshot();
        if (!this.complete && this.positions.heldCount === SCANNER_LISTS.length) {
          this.complete = true;
          events.snapshotsComplete(this, now);
        }
        break;
      }
      case 'new_day':
        this.positions.dropAll();
        this.complete = false;
        events.newDay(this, now);
        return;
      case 'error':
        return stats.error();
      default:
        return;
    }
    if (stats.dueForCrossCheck()) this.crossCheck(head, frame, bodyOffset);
  }

  private crossCheck(head: FrameHead, frame: Buffer, bodyOffset: number): void {
    const text = frame.toString('utf8', bodyOffset);
    const parsed: unknown = JSON.parse(text);
    const message = bodyOffset === 0 ? parsed : Array.isArray(parsed) ? (parsed[1] as unknown) : null;
    const full = parsedFields(message);
    const agreed =
      full !== null && full.list === head.list && full.sequence === head.sequence && full.timestampMs === trailingTimestampMs(frame);
    this.options.stats.crossCheck(agreed);
  }
}
