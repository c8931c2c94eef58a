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
  /** Production time of the entry (and of the rows it creates). */
  readonly timestamp?: string;
  /** false: SET the keys but skip the XADD, as if the server missed the stream entry. */
  readonly xadd?: boolean;
}

/** Rows as the upstream scanner ranks them; `padding` makes a row as large as a test needs. */
export function makeRows(count: number, timestamp: string, options: { tag?: string; padding?: number } = {}): ScannerRow[] {
  const tag = options.tag ?? 'S';
  return Array.from({ length: count }, (_, i) => ({
    symbol: `${tag}${String(i).padStart(3, '0')}`,
    rank: i + 1,
    timestamp,
    price: 10 + i,
    change_percent: 5 - i * 0.1,
    ...(options.padding === undefined ? {} : { note: 'x'.repeat(options.padding) }),
  }));
}

/**
 * Plays the upstream scanner exactly as DESIGN 4.2 says it writes: SET scanner:category:<L> and
 * scanner:sequence:<L>, then XADD stream:ranking:deltas, in one MULTI. It keeps the true rows of each
 * list so tests can compare what a client rebuilt with what upstream holds.
 */
export class FakeUpstream {
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

  /** A delta that changes a price of the top row: always applicable, and visible in the rows. */
  async priceTick(list: ScannerList, options: WriteOptions & { padding?: number } = {}): Promise<number> {
    const rows = this.rowsOf(list);
    const top = rows[0];
    if (top === undefined) throw new Error('test bug: priceTick on an empty list');
    const timestamp = options.timestamp ?? this.now();
    const data = { ...top, price: Number(top['price']) + 1, timestamp, ...(options.padding === undefined ? {} : { note: 'y'.repeat(options.padding) }) };
    return this.delta(list, [{ action: 'update', rank: top.rank, symbol: top.symbol, data }], { ...options, timestamp });
  }

  /** An XADD the server must refuse (the codecs would never write it). */
  async garbageEntry(fields: string[]): Promise<void> {
    await this.redis.xadd(this.keys.rankingDeltas, '*', ...fields);
  }

  /** What the maintenance service does at 03:00: SET trading:current_day, then PUBLISH. Returns the receiver count. */
  async announceNewDay(date: IsoDate, options: { publish?: boolean; set?: boolean } = {}): Promise<number> {
    if (options.set ?? true) await this.redis.set(this.keys.tradingCurrentDay, encodeTradingDate(date));
    if (!(options.publish ?? true)) return 0;
    return this.redis.publish(this.keys.newDayChannel, encodeNewDayEvent(newDayEvent(date, new Date(this.now()))));
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
