import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface StreamReaderOptions {
  /** A connection of its own: XREAD BLOCK holds it for up to blockMs. */
  readonly redis: Redis;
  readonly key: string;
  readonly blockMs: number;
  readonly count: number;
  readonly logger: Logger;
  /** Called for each entry in stream order; the reader waits for it before reading on. */
  readonly onEntry: (id: string, fields: string[]) => Promise<void> | void;
  /** Pause after a failed read before trying again. */
  readonly retryDelayMs?: number;
}

const STOP_WAIT_MS = 500;

type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * Reads stream:ranking:deltas on its own (XREAD, no consumer group: every server node sees every
 * entry), from the end of the stream when it starts, remembering the last id so a reconnect resumes
 * where it stopped. `$` is resolved to a concrete id once (XREVRANGE) instead of being passed to each
 * XREAD, so nothing written between two reads is skipped.
 */
export class StreamReader {
  private lastId: string | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private healthyNow = false;

  constructor(private readonly options: StreamReaderOptions) {}

  get healthy(): boolean {
    // A blocked XREAD waits through an outage without failing, so the connection's status counts too.
    return this.healthyNow && !this.stopped && this.options.redis.status === 'ready';
  }

  get position(): string | null {
    return this.lastId;
  }

  start(): void {
    if (this.loop !== null) return;
    this.loop = this.run();
  }

  /** Ends the loop and closes its connection, which ends a pending XREAD at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.options.redis.disconnect();
    // ioredis never settles a command queued while it was reconnecting when the client is then
    // disconnected, so during an outage the loop may never return: stop waiting after a moment.
    let timer: NodeJS.Timeout | undefined;
    const abandoned = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_WAIT_MS);
    });
    await Promise.race([this.loop, abandoned]);
    clearTimeout(timer);
  }

  private markUp(): void {
    if (!this.healthyNow) this.options.logger.info({ event: 'stream_reader_up', stream: this.options.key, from: this.lastId });
    this.healthyNow = true;
  }

  private async run(): Promise<void> {
    const { redis, key, blockMs, count, logger, onEntry } = this.options;
    while (!this.stopped) {
      try {
        if (this.lastId === null) {
          const last = (await redis.xrevrange(key, '+', '-', 'COUNT', 1)) as [string, string[]][];
          this.lastId = last[0]?.[0] ?? '0-0';
          logger.info({ event: 'stream_reader_started', stream: key, from: this.lastId });
          this.markUp();
        }
        const reply = (await redis.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', key, this.lastId)) as XReadReply;
        this.markUp();
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            this.lastId = id;
            if (this.stopped) return;
            try {
              await onEntry(id, fields);
            } catch (error) {
              // One entry the server could not handle must not stop the live feed for every client.
              logger.error({ event: 'stream_entry_failed', stream: key, id, err: error });
            }
          }
        }
      } catch (error) {
        if (this.stopped) return;
        if (this.healthyNow) logger.error({ event: 'stream_reader_down', stream: key, err: error });
        this.healthyNow = false;
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 500));
      }
    }
  }
}
