import { type Clock, type TradingCalendar, nyseCalendar } from '@scanner/market-calendar';
import type { ScannerList } from '@scanner/shared-types';
import type { Logger } from 'pino';
import { type FeedLists, type FeedPlan, planDeltas, planSnapshots } from './core/feed-plan.js';
import { type Market, createMarket, stepMarket } from './core/market.js';
import { rankLists } from './core/rank-lists.js';
import type { RankingWriter } from './core/ranking-writer.js';

export interface FeedOptions {
  readonly writer: RankingWriter;
  readonly clock: Clock;
  readonly calendar?: TradingCalendar;
  readonly lists: readonly ScannerList[];
  readonly rowsPerList: number;
  readonly universeSize: number;
  readonly seed: number;
  /** Every this many ticks the scanner "restarts": sequence 1 and a snapshot for every list. */
  readonly restartEvery?: number | null;
  readonly logger?: Logger;
}

/** What one call wrote. */
export interface TickReport {
  readonly kind: 'snapshot' | 'delta';
  /** The stream entries' timestamp: the clock's instant of this tick. */
  readonly timestamp: string;
  readonly written: ReadonlyArray<{ readonly list: ScannerList; readonly sequence: number; readonly changes: number }>;
}

export interface Feed {
  /** Creates the market at the clock's instant and writes a snapshot (sequence 1) of every list. */
  start(): Promise<TickReport>;
  /** Advances the market to the clock's instant and writes a delta for every list that changed. */
  tick(): Promise<TickReport>;
  /** A scanner restart: the market goes on, every list starts again at sequence 1 with a snapshot. */
  restart(): Promise<TickReport>;
  /** What was last written for each list. */
  lists(): FeedLists;
  market(): Market | null;
}

export type FeedErrorCode = 'NOT_STARTED' | 'BUSY';

export class FeedError extends Error {
  override readonly name = 'FeedError';
  constructor(
    readonly code: FeedErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The upstream scanner, played: a synthetic market ranked into lists, written as snapshots and deltas.
 * Calls must not overlap (a second one while one runs is refused with BUSY). After a failed write
 * nobody knows what reached Redis, so the next call writes snapshots, as a restarted scanner would.
 */
export function createFeed(options: FeedOptions): Feed {
  const { writer, clock, lists, rowsPerList, universeSize, seed, logger } = options;
  const calendar = options.calendar ?? nyseCalendar;
  const restartEvery = options.restartEvery ?? null;

  let market: Market | null = null;
  let published: FeedLists = new Map();
  let ticksSinceSnapshot = 0;
  let needsSnapshot = true;
  let busy = false;

  async function publish(kind: 'snapshot' | 'delta'): Promise<TickReport> {
    if (busy) throw new FeedError('BUSY', 'a tick is still being written');
    busy = true;
    try {
      const now = clock.now();
      market = market === null ? createMarket({ seed, universeSize, now, calendar }) : stepMarket(market, now, calendar);
      const timestamp = now.toISOString();
      const rankings = rankLists(market, lists, rowsPerList);
      const snapshot = kind === 'snapshot' || needsSnapshot;
      const plan: FeedPlan = snapshot ? planSnapshots(rankings, timestamp) : planDeltas(published, rankings, timestamp);
      // Until the write is known to have landed, the next call must not build deltas on this plan.
      needsSnapshot = true;
      await writer.write(plan.updates);
      needsSnapshot = false;
      published = plan.lists;
      ticksSinceSnapshot = snapshot ? 0 : ticksSinceSnapshot + 1;
      const report: TickReport = {
        kind: snapshot ? 'snapshot' : 'delta',
        timestamp,
        written: plan.updates.map((u) => ({
          list: u.list,
          sequence: u.sequence,
          changes: u.entry.type === 'delta' ? u.entry.change_count : u.entry.count,
        })),
      };
      logger?.[snapshot ? 'info' : 'debug'](
        {
          event: snapshot ? 'feed_snapshot_written' : 'feed_delta_written',
          timestamp,
          lists: report.written.length,
          changes: report.written.reduce((sum, w) => sum + w.changes, 0),
          session_date: market.sessionDate,
        },
        snapshot ? 'snapshot of every list written (sequence 1)' : 'deltas written',
      );
      return report;
    } finally {
      busy = false;
    }
  }

  return {
    start: () => publish('snapshot'),
    tick: () => {
      if (market === null) return Promise.reject(new FeedError('NOT_STARTED', 'start() the feed before tick()'));
      const restartDue = restartEvery !== null && ticksSinceSnapshot + 1 >= restartEvery;
      if (restartDue) logger?.info({ event: 'feed_restart_simulated', after_ticks: restartEvery }, 'simulated scanner restart');
      return publish(restartDue ? 'snapshot' : 'delta');
    },
    restart: () => publish('snapshot'),
    lists: () => published,
    market: () => market,
  };
}
