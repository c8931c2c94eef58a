import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';

export interface TcpProxyOptions {
  /** Where the proxy forwards to (Redis: 127.0.0.1:6379). */
  readonly targetHost: string;
  readonly targetPort: number;
  /** Where the proxy listens; the port is always a free one the OS picks. Default 127.0.0.1. */
  readonly listenHost?: string;
}

/**
 * While cut, what happens to a new connection: `refuse` accepts and resets it at once (the client sees
 * ECONNRESET, as when the service is down), `hold` accepts and forwards nothing until restore() (a
 * black-holed network: the client's commands hang).
 */
export type CutMode = 'refuse' | 'hold';

export interface ProxyCounters {
  /** Connections the proxy accepted from clients, refused ones included. */
  readonly accepted: number;
  /** Of those, reset at once because the proxy was cut in `refuse` mode. */
  readonly refused: number;
  /** Connections destroyed by cut(), close() or a mid-reply drop. */
  readonly destroyed: number;
  /** Connections open (or held) right now. */
  readonly active: number;
  /** Bytes delivered client -> server and server -> client. */
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  /** Mid-reply drops performed. */
  readonly drops: number;
}

/** What a mid-reply drop let through before it cut the connection. */
export interface DropReport {
  readonly chunkBytes: number;
  readonly deliveredBytes: number;
}

/** Misuse of the proxy by a test: a bad delay, a second drop armed over the first. */
export class TcpProxyError extends Error {
  override readonly name = 'TcpProxyError';
  constructor(
    readonly code: 'INVALID_DELAY' | 'DROP_ALREADY_ARMED' | 'INVALID_MIN_BYTES',
    message: string,
  ) {
    super(message);
  }
}

type Direction = 'toServer' | 'toClient';

const DROP_GRACE_MS = 10;

interface Pending {
  readonly chunk: Buffer;
  readonly dueAt: number;
}

/** One client connection and its upstream, with an ordered, optionally delayed queue per direction. */
interface Link {
  readonly client: Socket;
  upstream: Socket | null;
  readonly queues: Record<Direction, Pending[]>;
  readonly timers: Record<Direction, NodeJS.Timeout | null>;
  /** Bytes the client sent before the upstream connection was up (or while held). */
  readonly early: Buffer[];
  /** A peer ended its side: once what it sent is delivered, the other side is ended too. */
  readonly ending: Record<Direction, boolean>;
  /** A mid-reply drop is under way: nothing more is forwarded either way. */
  frozen: boolean;
  dead: boolean;
}

/**
 * A TCP proxy a test controls, in front of a real service: cut the link, add latency, cut a reply in
 * the middle, then restore it. The service itself is never touched, so other tests sharing it are not
 * disturbed. Every connection is forwarded byte for byte, in order, in both directions.
 */
export class TcpProxy {
  private readonly links = new Set<Link>();
  private cutMode: CutMode | null = null;
  private delayMs = 0;
  private pendingDrop: { readonly minBytes: number; readonly resolve: (report: DropReport) => void } | null = null;
  private closed = false;
  private address: AddressInfo = { address: '', family: '', port: 0 };
  private readonly stats = { accepted: 0, refused: 0, destroyed: 0, bytesToServer: 0, bytesToClient: 0, drops: 0 };

  private constructor(
    private readonly server: Server,
    private readonly options: TcpProxyOptions,
  ) {}

  /** Listens on a free port and forwards every connection to the target. */
  static async start(options: TcpProxyOptions): Promise<TcpProxy> {
    const server = createServer({ noDelay: true });
    const proxy = new TcpProxy(server, options);
    server.on('connection', (socket) => proxy.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, options.listenHost ?? '127.0.0.1', () => {
        server.off('error', reject);
        proxy.address = server.address() as AddressInfo;
        resolve();
      });
    });
    return proxy;
  }

  /** The port it listens on (kept after close(), so a test can check that nothing answers there). */
  get port(): number {
    return this.address.port;
  }

  get host(): string {
    return this.address.address;
  }

  /** `redis://host:port` through the proxy. */
  get redisUrl(): string {
    return `redis://${this.host}:${this.port}`;
  }

  get counters(): ProxyCounters {
    return { ...this.stats, active: this.links.size };
  }

  get isCut(): boolean {
    return this.cutMode !== null;
  }

  /** Destroys every current connection (with a reset) and refuses or holds new ones until restore(). */
  cut(mode: CutMode = 'refuse'): void {
    this.cutMode = mode;
    for (const link of [...this.links]) this.kill(link, 'fault');
  }

  /** Adds `ms` of latency to every chunk, both directions, order kept; 0 removes it. */
  delay(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new TcpProxyError('INVALID_DELAY', `delay must be a non-negative number of ms, got ${ms}`);
    this.delayMs = ms;
  }

  /**
   * Arms a one-shot fault: the next server -> client chunk (on any connection) is let through only in
   * part (its first half, rounded down), then that connection is destroyed. Resolves when it happened.
   * `minBytes` skips smaller chunks (a Redis nil or +OK), so the cut lands in a reply that carries data.
   */
  dropMidReply(options: { readonly minBytes?: number } = {}): Promise<DropReport> {
    if (this.pendingDrop !== null) throw new TcpProxyError('DROP_ALREADY_ARMED', 'a mid-reply drop is already armed');
    const minBytes = options.minBytes ?? 1;
    if (!Number.isInteger(minBytes) || minBytes < 1) throw new TcpProxyError('INVALID_MIN_BYTES', `minBytes must be a positive integer, got ${minBytes}`);
    return new Promise((resolve) => {
      this.pendingDrop = { minBytes, resolve };
    });
  }

  /** Ends the cut and the latency; held connections go on to the target. An armed drop stays armed. */
  restore(): void {
    const wasHolding = this.cutMode === 'hold';
    this.cutMode = null;
    this.delayMs = 0;
    if (wasHolding) for (const link of this.links) if (link.upstream === null) this.connectUpstream(link);
  }

  /** Destroys every connection and stops listening. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cutMode = 'refuse';
    for (const link of [...this.links]) this.kill(link, 'fault');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.stats.accepted++;
    client.setNoDelay(true);
    if (this.cutMode === 'refuse' || this.closed) {
      this.stats.refused++;
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    const link: Link = {
      client,
      upstream: null,
      queues: { toServer: [], toClient: [] },
      timers: { toServer: null, toClient: null },
      early: [],
      ending: { toServer: false, toClient: false },
      frozen: false,
      dead: false,
    };
    this.links.add(link);
    client.on('data', (chunk: Buffer) => {
      if (link.upstream === null || link.upstream.connecting) link.early.push(chunk);
      else this.enqueue(link, 'toServer', chunk);
    });
    client.on('error', () => this.kill(link, 'peer'));
    client.on('close', () => this.endAfterDrain(link, 'toServer'));
    if (this.cutMode === null) this.connectUpstream(link);
  }

  private connectUpstream(link: Link): void {
    if (link.dead) return;
    const upstream = connect({ host: this.options.targetHost, port: this.options.targetPort, noDelay: true });
    link.upstream = upstream;
    upstream.on('connect', () => {
      for (const chunk of link.early.splice(0)) this.enqueue(link, 'toServer', chunk);
    });
    upstream.on('data', (chunk: Buffer) => this.enqueue(link, 'toClient', chunk));
    upstream.on('error', () => this.kill(link, 'peer'));
    upstream.on('close', () => this.endAfterDrain(link, 'toClient'));
  }

  /** A peer closed: what it sent still reaches the other side (after any delay), then the link ends. */
  private endAfterDrain(link: Link, direction: Direction): void {
    link.ending[direction] = true;
    this.pump(link, direction);
  }

  private enqueue(link: Link, direction: Direction, chunk: Buffer): void {
    if (link.dead || link.frozen) return;
    link.queues[direction].push({ chunk, dueAt: Date.now() + this.delayMs });
    this.pump(link, direction);
  }

  /** Delivers due chunks in order; the first one not yet due sets a timer for the rest. */
  private pump(link: Link, direction: Direction): void {
    if (link.timers[direction] !== null) return;
    const queue = link.queues[direction];
    while (!link.dead && !link.frozen && queue.length > 0) {
      const head = queue[0] as Pending;
      const wait = head.dueAt - Date.now();
      if (wait > 0) {
        link.timers[direction] = setTimeout(() => {
          link.timers[direction] = null;
          this.pump(link, direction);
        }, wait);
        return;
      }
      queue.shift();
      this.deliver(link, direction, head.chunk);
    }
    if (!link.dead && !link.frozen && queue.length === 0 && link.ending[direction]) this.kill(link, 'peer');
  }

  private deliver(link: Link, direction: Direction, chunk: Buffer): void {
    if (direction === 'toServer') {
      this.stats.bytesToServer += chunk.length;
      link.upstream?.write(chunk);
      return;
    }
    const drop = this.pendingDrop;
    if (drop === null || chunk.length < drop.minBytes) {
      this.stats.bytesToClient += chunk.length;
      link.client.write(chunk);
      return;
    }
    this.pendingDrop = null;
    const part = chunk.subarray(0, Math.floor(chunk.length / 2));
    this.stats.bytesToClient += part.length;
    this.stats.drops++;
    // Nothing more crosses this link; the reset waits until the partial write has left, plus a moment so
    // the client has read it (a reset that lands with the data can make the kernel drop or hide it).
    link.frozen = true;
    link.client.write(part, () => {
      setTimeout(() => {
        this.kill(link, 'fault');
        drop.resolve({ chunkBytes: chunk.length, deliveredBytes: part.length });
      }, DROP_GRACE_MS);
    });
  }

  /**
   * `fault`: both sides are reset, as a dropped network link looks to each end. `peer`: one side went
   * away on its own, the other is closed normally.
   */
  private kill(link: Link, how: 'fault' | 'peer'): void {
    if (link.dead) return;
    link.dead = true;
    this.links.delete(link);
    for (const timer of Object.values(link.timers)) if (timer !== null) clearTimeout(timer);
    if (how === 'fault') this.stats.destroyed++;
    for (const socket of [link.client, link.upstream]) {
      if (socket === null || socket.destroyed) continue;
      if (how === 'fault') socket.resetAndDestroy();
      else socket.destroySoon();
    }
  }
}
