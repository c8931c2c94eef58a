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

export interface RowOptions {
  /** Symbol prefix: keeps two lists' symbols apart. */
  readonly tag?: string;
  /** Makes a row as large as a test needs. */
  readonly padding?: number;
  /** Adds a volume column, as the real scanner's rows have (for tests that corrupt or update it). */
  readonly volume?: boolean;
}

/** Rows as the upstream scanner ranks them. */
export function makeRows(count: number, timestamp: string, options: RowOptions = {}): ScannerRow[] {
  const tag = options.tag ?? 'S';
  return Array.from({ length: count }, (_, i) => ({
    symbol: `${tag}${String(i).padStart(3, '0')}`,
    rank: i + 1,
    timestamp,
    price: 10 + i,
    change_percent: 5 - i * 0.1,
    ...(options.volume === true ? { volume: 1_000 * (i + 1) } : {}),
    ...(options.padding === undefined ? {} : { note: 'x'.repeat(options.padding) }),
  }));
}

export interface TickOptions extends WriteOptions {
  readonly padding?: number;
  /** The row whose price rises: by rank (default the top row), or 'rotate' for a different row each tick. */
  readonly rank?: number | 'rotate';
}

/**
 * Plays the upstream scanner exactly as DESIGN 4.2 says it writes: SET scanner:category:<L> and
 * scanner:sequence:<L>, then XADD stream:ranking:deltas, in one MULTI. It keeps the true rows of each
 * list so tests can compare what a client rebuilt with what upstream holds.
 */
export class FakeUpstream {
  private readonly lists = new Map<ScannerList, { sequence: number; rows: ScannerRow[] }>();
  private readonly lastEntries = new Map<ScannerList, string[]>();

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

  /** The XADD fields of the list's last entry: replaying them is a duplicate the server must drop. */
  lastFields(list: ScannerList): string[] {
    const fields = this.lastEntries.get(list);
    if (fields === undefined) throw new Error(`test bug: nothing written for ${list}`);
    return [...fields];
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

  /** A delta that raises the price of one row (the top one by default): always applicable, and visible in the rows. */
  async priceTick(list: ScannerList, options: TickOptions = {}): Promise<number> {
    const { rank, padding, ...write } = options;
    const rows = this.rowsOf(list);
    const target = rank === undefined ? rows[0] : rank === 'rotate' ? rows[(this.sequenceOf(list) - 1 + rows.length) % rows.length] : rows.find((r) => r.rank === rank);
    if (target === undefined) throw new Error(`test bug: priceTick on ${list}, which has no such row`);
    const timestamp = write.timestamp ?? this.now();
    const data = { ...target, price: Number(target['price']) + 1, timestamp, ...(padding === undefined ? {} : { note: 'y'.repeat(padding) }) };
    return this.delta(list, [{ action: 'update', rank: target.rank, symbol: target.symbol, data }], { ...write, timestamp });
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

  /** An XADD the server must refuse (the codecs would never write it); touches neither the keys nor the true rows. Returns the entry id. */
  async garbageEntry(fields: readonly string[]): Promise<string> {
    const id = await this.redis.xadd(this.keys.rankingDeltas, '*', ...fields);
    if (id === null) throw new Error('XADD returned no id');
    return id;
  }

  /** XTRIM to the newest `keep` entries, as MAXLEN does to entries a slow reader never saw. Returns how many went. */
  async trimStream(keep = 0): Promise<number> {
    return this.redis.xtrim(this.keys.rankingDeltas, 'MAXLEN', keep);
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
    const fields = encodeRankingStreamEntry(entry);
    this.lastEntries.set(list, fields);
    if (xadd) multi.xadd(this.keys.rankingDeltas, '*', ...fields);
    const results = await multi.exec();
    if (results === null) throw new Error('upstream MULTI aborted');
    const failed = results.find(([error]) => error !== null);
    if (failed) throw failed[0];
  }
}
