import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type StreamCounters, entriesLost } from '../../core/stream-id.js';

export interface StreamReaderOptions {
  /** A connection of its own: XREAD BLOCK holds it for up to blockMs. */
  readonly redis: Redis;
  readonly key: string;
  readonly blockMs: number;
  readonly count: number;
  readonly logger: Logger;
  /** Called for each entry in stream order; the reader waits for it before reading on. */
  readonly onEntry: (id: string, fields: string[]) => Promise<void> | void;
  /**
   * Entries applied between two turns of the event loop (default 1: a turn after every entry). Applying
   * one entry fans it out to every subscriber synchronously; without turns, a reply of `count` entries
   * holds the loop for all of them, and pings, upgrades, subscribes and socket drains wait. A value of
   * `count` or more never yields inside a reply (the reader as it was before; benchmarks compare both).
   */
  readonly yieldEvery?: number;
  /** Pause after a failed read before trying again. */
  readonly retryDelayMs?: number;
  /**
   * Entries after the reader's position were deleted (MAXLEN trimming while it was down or behind)
   * before it read them: whatever they said is lost, and the caller must rebuild from Redis's keys.
   */
  readonly onLoss?: (loss: { readonly position: string; readonly lost: number }) => void;
}

/** entries-added and last-generated-id of XINFO STREAM (Redis 7) in one atomic step, without its entries. */
const STREAM_COUNTERS_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, '0-0'} end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local added, last = -1, '0-0'
for i = 1, #info, 2 do
  if info[i] == 'entries-added' then added = info[i + 1] end
  if info[i] == 'last-generated-id' then last = info[i + 1] end
end
return {added, last}`;

const STOP_WAIT_MS = 500;

/** A StreamReader option out of range; `code` is stable for callers and logs. */
export class StreamReaderConfigError extends Error {
  readonly code = 'STREAM_READER_BAD_OPTION';
  override readonly name = 'StreamReaderConfigError';
}

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
  /** entries-added at the baseline, and entries read since: what the loss check counts against. */
  private baseAdded = 0;
  private read = 0;

  constructor(private readonly options: StreamReaderOptions) {
    const { yieldEvery } = options;
    if (yieldEvery !== undefined && !(yieldEvery >= 1)) {
      throw new StreamReaderConfigError(`yieldEvery must be 1 or more (Infinity: never inside a reply), got ${yieldEvery}`);
    }
  }

  get healthy(): boolean {
    // A blocked XREAD waits through an outage without failing, so the connection's status counts too.
    return this.healthyNow && !this.stopped && this.options.redis.status === 'ready';
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

  private async counters(): Promise<StreamCounters> {
    const [added, lastGeneratedId] = (await this.options.redis.eval(STREAM_COUNTERS_SCRIPT, 1, this.options.key)) as [number, string];
    return { added, lastGeneratedId };
  }

  /**
   * XREAD from a position silently skips entries trimmed away since: a skipped delta shows up later as a
   * sequence gap, but a skipped restart snapshot does not (the restarted sequence looks like
   * duplicates) and a list with no later entry would stay stale. Counted with entries-added after each
   * read (one short script call per read, not per entry), before the entries are handled, so a reload
   * queues them; the count can only be settled when the read reached the newest entry.
   */
  private async checkForLoss(position: string): Promise<void> {
    const { key, logger, onLoss } = this.options;
    if (onLoss === undefined) return;
    const stream = await this.counters();
    // Before Redis 7 there is no entries-added: loss shows only as sequence gaps.
    if (stream.added < 0) return;
    const lost = entriesLost(stream, { position, baseAdded: this.baseAdded, read: this.read });
    if (lost === null || lost === 0) return;
    this.baseAdded = stream.added;
    this.read = 0;
    logger.warn({ event: 'stream_entries_lost', stream: key, position, lost });
    onLoss({ position, lost });
  }

  private async run(): Promise<void> {
    const { redis, key, blockMs, count, logger, onEntry } = this.options;
    const yieldEvery = this.options.yieldEvery ?? 1;
    while (!this.stopped) {
      try {
        if (this.lastId === null) {
          // The newest id and the count of entries added up to it, atomically: the loss check's baseline.
          const start = await this.counters();
          this.lastId = start.lastGeneratedId;
          this.baseAdded = start.added;
          this.read = 0;
          logger.info({ event: 'stream_reader_started', stream: key, from: this.lastId });
          this.markUp();
        }
        const position = this.lastId;
        const reply = (await redis.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', key, position)) as XReadReply;
        this.markUp();
        const entries = reply?.[0]?.[1] ?? [];
        this.read += entries.length;
        const lastRead = entries.at(-1)?.[0] ?? position;
        await this.checkForLoss(lastRead);
        let sinceTurn = 0;
        for (const [id, fields] of entries) {
          if (sinceTurn >= yieldEvery) {
            // setImmediate, not a microtask: only a macrotask lets timers and socket I/O run in between.
            await new Promise<void>((resolve) => setImmediate(resolve));
            sinceTurn = 0;
          }
          if (this.stopped) return;
          try {
            await onEntry(id, fields);
          } catch (error) {
            // One entry the server could not handle must not stop the live feed for every client.
            logger.error({ event: 'stream_entry_failed', stream: key, id, err: error });
          }
          this.lastId = id;
          sinceTurn++;
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
