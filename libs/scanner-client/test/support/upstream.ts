import type { IsoDate } from '@scanner/market-calendar';
import {
  type RankingStreamEntry,
  type RedisKeys,
  encodeNewDayEvent,
  encodeRankingStreamEntry,
  encodeScannerRows,
  encodeSequence,
  encodeTradingDate,
  newDayEvent,
} from '@scanner/redis-keys';
import { type RankingDelta, type ScannerList, type ScannerRow, applyRankingDeltas } from '@scanner/shared-types';
import type { Redis } from 'ioredis';

export interface WriteOptions {
  /** Defaults to the next sequence (1 for a first snapshot). */
  readonly sequence?: number;
  readonly timestamp?: string;
  /** false: SET the keys but skip the XADD, as if the stream entry were lost. */
  readonly xadd?: boolean;
}

export function makeRows(count: number, timestamp: string, tag = 'S'): ScannerRow[] {
  return Array.from({ length: count }, (_, i) => ({
    symbol: `${tag}${String(i).padStart(3, '0')}`,
    rank: i + 1,
    timestamp,
    price: 10 + i,
    change_percent: 5 - i * 0.1,
  }));
}

/**
 * Writes as the upstream scanner does (DESIGN 4.2): SET scanner:category:<L> and scanner:sequence:<L>,
 * then XADD stream:ranking:deltas, in one MULTI. It keeps each list's true rows, so a test can compare
 * what the client rebuilt with what upstream holds.
 */
export class Upstream {
  private readonly lists = new Map<ScannerList, { sequence: number; rows: ScannerRow[] }>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => string,
  ) {}

  rowsOf(list: ScannerList): ScannerRow[] {
    return this.lists.get(list)?.rows ?? [];
  }

  sequenceOf(list: ScannerList): number {
    return this.lists.get(list)?.sequence ?? 0;
  }

  async snapshot(list: ScannerList, rows: ScannerRow[], options: WriteOptions = {}): Promise<number> {
    const sequence = options.sequence ?? this.sequenceOf(list) + 1;
    const timestamp = options.timestamp ?? this.now();
    this.lists.set(list, { sequence, rows });
    await this.write(list, { type: 'snapshot', list, sequence, rows, timestamp, count: rows.length }, options.xadd ?? true);
    return sequence;
  }

  async delta(list: ScannerList, deltas: RankingDelta[], options: WriteOptions = {}): Promise<number> {
    const current = this.lists.get(list) ?? { sequence: 0, rows: [] };
    const sequence = options.sequence ?? current.sequence + 1;
    const timestamp = options.timestamp ?? this.now();
    const applied = applyRankingDeltas(current.rows, deltas, timestamp);
    if (!applied.ok) throw new Error(`test bug: ${applied.error.message}`);
    this.lists.set(list, { sequence, rows: applied.value });
    await this.write(list, { type: 'delta', list, sequence, deltas, timestamp, change_count: deltas.length }, options.xadd ?? true);
    return sequence;
  }

  /** Raises the price of the row at `rank` (default the top one): always applicable, visible in the rows. */
  async priceTick(list: ScannerList, options: WriteOptions & { rank?: number } = {}): Promise<number> {
    const target = this.rowsOf(list).find((r) => r.rank === (options.rank ?? 1));
    if (target === undefined) throw new Error('test bug: priceTick on a missing row');
    const timestamp = options.timestamp ?? this.now();
    const data = { ...target, price: Number(target['price']) + 1, timestamp };
    return this.delta(list, [{ action: 'update', rank: target.rank, symbol: target.symbol, data }], { ...options, timestamp });
  }

  /** Drops the last row, moves the new last one up past the top, and adds a newcomer: every delta kind at once. */
  async reshuffle(list: ScannerList, newcomer: string): Promise<number> {
    const rows = this.rowsOf(list);
    const last = rows.at(-1);
    const beforeLast = rows.at(-2);
    if (last === undefined || beforeLast === undefined) throw new Error('test bug: reshuffle needs two rows');
    const timestamp = this.now();
    const shifted = rows.slice(0, -2).map((r) => ({ action: 'rerank' as const, symbol: r.symbol, old_rank: r.rank, new_rank: r.rank + 1 }));
    return this.delta(list, [
      { action: 'remove', symbol: last.symbol },
      ...shifted.reverse(),
      { action: 'update', rank: 1, symbol: beforeLast.symbol, data: { ...beforeLast, price: Number(beforeLast['price']) * 2, timestamp } },
      { action: 'add', rank: last.rank, symbol: newcomer, data: { timestamp, price: 1, change_percent: 0.5 } },
    ]);
  }

  /** What the maintenance service does at 03:00: SET trading:current_day, then PUBLISH (unless told not to). */
  async announceNewDay(date: IsoDate, options: { publish?: boolean } = {}): Promise<void> {
    await this.redis.set(this.keys.tradingCurrentDay, encodeTradingDate(date));
    if (options.publish ?? true) {
      await this.redis.publish(this.keys.newDayChannel, encodeNewDayEvent(newDayEvent(date, new Date(this.now()))));
    }
  }

  /** Trims the stream to nothing, as MAXLEN does to entries a slow reader never saw. */
  async trimStream(): Promise<void> {
    await this.redis.xtrim(this.keys.rankingDeltas, 'MAXLEN', 0);
  }

  private async write(list: ScannerList, entry: RankingStreamEntry, xadd: boolean): Promise<void> {
    const state = this.lists.get(list);
    if (state === undefined) throw new Error('unreachable');
    const multi = this.redis
      .multi()
      .set(this.keys.scannerCategory(list), encodeScannerRows(state.rows))
      .set(this.keys.scannerSequence(list), encodeSequence(state.sequence));
    if (xadd) multi.xadd(this.keys.rankingDeltas, '*', ...encodeRankingStreamEntry(entry));
    const results = await multi.exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed) throw failed[0];
  }
}
