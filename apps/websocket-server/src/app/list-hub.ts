import type { Clock, TradingCalendar } from '@scanner/market-calendar';
import type { RankingStreamEntry } from '@scanner/redis-keys';
import { SCANNER_LISTS, type ScannerList } from '@scanner/shared-types';
import type { Logger } from 'pino';
import { type ListState, applyStreamEntry, stateFromLoad } from '../core/list-state.js';
import { classifyEntryDay } from '../core/new-day.js';
import { calendarEpoch, instantOf, tradingDayOf } from '../core/production-day.js';
import { SingleFlight } from '../core/single-flight.js';
import type { ServerMetrics, SnapshotSource } from '../adapters/http/server-metrics.js';
import type { LastSnapshots } from '../adapters/memory/last-snapshots.js';
import type { ListLoader } from '../adapters/redis/snapshot-loader.js';
import type { Broadcaster } from '../adapters/ws/broadcaster.js';
import type { ClientRegistry } from '../adapters/ws/client-registry.js';
import type { DayKeeper } from './day-keeper.js';

export type LoadReason = 'subscribe' | 'gap' | 'conflict' | 'no_state' | 'stream_loss';

/** Entries held for a list while it loads; past this the rest are dropped and the next one is a gap. */
const MAX_QUEUED_ENTRIES = 10_000;

/** A subscriber retries this many loads when a new day keeps discarding them under it. */
const MAX_LOAD_ATTEMPTS = 3;

export interface ListHubOptions {
  readonly cache: LastSnapshots;
  readonly loader: ListLoader;
  readonly broadcaster: Broadcaster;
  readonly registry: ClientRegistry;
  readonly day: DayKeeper;
  readonly clock: Clock;
  readonly calendar: TradingCalendar;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
}

/**
 * Keeps lastSnapshots current from the stream and answers "what is list L now". A list that is not in
 * memory, or that the stream cannot patch (a gap, a conflicting delta), is read from Redis once, however
 * many callers ask meanwhile; stream entries for it wait in order and are applied on top of the result,
 * so nothing read from the stream while a load is in flight is lost.
 */
export class ListHub {
  // Keyed by generation too: after a clear, a new load must not join one whose result will be discarded.
  private readonly loads = new SingleFlight<string, void>();
  private readonly queues = new Map<ScannerList, RankingStreamEntry[]>();
  /** Bumped by every new day and cache clear: a load started before it must not fill the cache after it. */
  private generation = 0;

  constructor(private readonly o: ListHubOptions) {}

  /** The current state of a list for a subscriber, and where it came from. Rejects when Redis cannot be read. */
  async stateFor(list: ScannerList): Promise<{ readonly state: ListState; readonly source: SnapshotSource }> {
    await this.o.day.servingEpoch();
    for (let attempt = 0; attempt < MAX_LOAD_ATTEMPTS; attempt++) {
      if (!this.loads.has(this.flightKey(list))) {
        const state = this.o.cache.get(list);
        if (state !== undefined) return { state, source: attempt === 0 ? 'memory' : 'redis' };
      }
      await this.load(list, 'subscribe');
    }
    throw new Error(`list ${list} was reset by new days ${MAX_LOAD_ATTEMPTS} times while loading`);
  }

  /** One stream entry, in stream order. `replay` marks entries held during a load, which never start another. */
  handleEntry(entry: RankingStreamEntry, replay = false): void {
    const { cache, day, calendar, broadcaster, registry, metrics, logger } = this.o;
    if (!replay && !this.followUpstreamDay(entry)) return;
    const queue = this.queues.get(entry.list);
    if (queue !== undefined) {
      if (queue.length < MAX_QUEUED_ENTRIES) queue.push(entry);
      metrics.streamEntries.labels('queued').inc();
      return;
    }
    const epoch = day.epoch;
    if (epoch === null) throw new Error('stream entry handled before the epoch is known');
    const outcome = applyStreamEntry({ state: cache.get(entry.list), entry, epoch, calendar });
    switch (outcome.kind) {
      case 'delta':
        cache.set(outcome.state);
        metrics.streamEntries.labels('delta_applied').inc();
        broadcaster.publish(outcome.state, { delta: outcome.delta, force: false, kind: 'delta' });
        break;
      case 'snapshot':
        cache.set(outcome.state);
        metrics.streamEntries.labels(`snapshot_${outcome.reason}`).inc();
        if (outcome.reason === 'restart') {
          logger.warn({ event: 'scanner_restart_detected', list: entry.list, sequence: entry.sequence });
        }
        broadcaster.publish(outcome.state, { force: true, kind: 'snapshot' });
        break;
      case 'ignored':
        metrics.streamEntries.labels(outcome.reason).inc();
        logger.debug({ event: 'stream_entry_ignored', list: entry.list, sequence: entry.sequence, reason: outcome.reason });
        break;
      case 'reload':
        if (outcome.reason === 'no_state' && !registry.hasSubscribers(entry.list)) {
          // Nobody watches the list: the next subscriber reads Redis, which upstream keeps current.
          metrics.streamEntries.labels('no_state').inc();
          break;
        }
        metrics.streamEntries.labels(outcome.reason).inc();
        if (replay) {
          logger.warn({ event: 'list_unrecoverable_after_reload', list: entry.list, reason: outcome.reason, detail: outcome.detail });
          break;
        }
        logger.warn({ event: 'list_reload', list: entry.list, reason: outcome.reason, detail: outcome.detail });
        this.load(entry.list, outcome.reason, entry).catch(() => undefined);
        break;
    }
  }

  /**
   * The stream lost entries this node never read (trimmed while it was down or behind): no held list can
   * be trusted. Watched lists are read again from Redis and pushed to their subscribers; the others are
   * dropped, so their next subscriber reads Redis.
   */
  reloadAll(): void {
    for (const list of SCANNER_LISTS) {
      if (this.o.registry.hasSubscribers(list)) this.load(list, 'stream_loss').catch(() => undefined);
      else if (!this.queues.has(list)) this.o.cache.delete(list);
    }
  }

  /**
   * Advances the epoch when upstream already writes a later trading day than the one announced, and
   * drops entries dated beyond the server's clock. False: drop the entry.
   */
  private followUpstreamDay(entry: RankingStreamEntry): boolean {
    const { day, clock, calendar, metrics, logger } = this.o;
    const epoch = day.epoch;
    const instant = instantOf(entry.timestamp);
    const entryDay = instant === null ? null : tradingDayOf(instant, calendar);
    // An unreadable timestamp is applyStreamEntry's to refuse.
    if (epoch === null || entryDay === null) return true;
    const today = calendarEpoch(clock.now(), calendar);
    switch (classifyEntryDay(entryDay, epoch, today)) {
      case 'advance':
        logger.warn({ event: 'new_day_from_upstream', epoch, upstream_day: entryDay, list: entry.list, note: 'no announcement of this day was received' });
        day.apply(entryDay, 'stream');
        return true;
      case 'future':
        metrics.streamEntries.labels('future_day').inc();
        logger.warn({ event: 'stream_entry_from_future_day', list: entry.list, sequence: entry.sequence, timestamp: entry.timestamp, today });
        return false;
      case 'current':
      case 'stale':
        return true;
    }
  }

  /** Drops every list (new day, manual clear); loads in flight are discarded when they return. */
  clear(): number {
    this.generation++;
    this.queues.clear();
    return this.o.cache.clear();
  }

  private load(list: ScannerList, reason: LoadReason, entry?: RankingStreamEntry): Promise<void> {
    if (!this.queues.has(list)) this.queues.set(list, []);
    if (entry !== undefined) this.queues.get(list)?.push(entry);
    const generation = this.generation;
    return this.loads.run(this.flightKey(list), () => this.runLoad(list, reason, generation));
  }

  private flightKey(list: ScannerList): string {
    return `${this.generation}:${list}`;
  }

  private async runLoad(list: ScannerList, reason: LoadReason, generation: number): Promise<void> {
    const { cache, loader, broadcaster, day, clock, calendar, metrics, logger } = this.o;
    let loaded;
    try {
      loaded = await loader(list);
    } catch (error) {
      metrics.listLoads.labels(reason, 'failed').inc();
      logger.error({ event: 'list_load_failed', list, reason, err: error });
      if (generation === this.generation) {
        // The held state is known to be behind (or there is none): do not serve it, start over next time.
        this.queues.delete(list);
        if (reason !== 'subscribe') cache.delete(list);
      }
      throw error;
    }
    if (generation !== this.generation) {
      metrics.listLoads.labels(reason, 'discarded').inc();
      return;
    }
    const epoch = day.epoch;
    if (epoch === null) throw new Error('list loaded before the epoch is known');
    const previous = cache.get(list);
    const { state, stale } = stateFromLoad(list, loaded, epoch, clock.now(), calendar);
    if (stale) logger.info({ event: 'stale_list_served_empty', list, epoch, redis_sequence: loaded.sequence });
    metrics.listLoads.labels(reason, stale ? 'stale' : 'ok').inc();
    cache.set(state);
    const queued = this.queues.get(list) ?? [];
    this.queues.delete(list);
    // Subscribers already holding this list get the reloaded state once; pending ones get it from stateFor().
    const unchanged = previous !== undefined && previous.sequence === state.sequence && reason === 'gap';
    if (!unchanged) broadcaster.publish(state, { force: reason === 'conflict' || reason === 'no_state' || reason === 'stream_loss', kind: 'reload' });
    for (const held of queued) this.handleEntry(held, true);
  }
}
