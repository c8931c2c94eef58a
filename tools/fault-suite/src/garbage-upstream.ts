import {
  type RankingStreamEntry,
  type RedisKeys,
  encodeRankingStreamEntry,
  encodeScannerRows,
  encodeSequence,
} from '@scanner/redis-keys';
import { type RankingDelta, type ScannerList, type ScannerRow, applyRankingDeltas } from '@scanner/shared-types';
import type { Redis } from 'ioredis';
import type { SeededRandom } from './garbage-random.js';

/** Rows as the upstream scanner ranks them, produced at `timestamp`. */
export function makeRows(count: number, timestamp: string, tag = 'S'): ScannerRow[] {
  return Array.from({ length: count }, (_, i) => ({
    symbol: `${tag}${String(i).padStart(3, '0')}`,
    rank: i + 1,
    timestamp,
    price: 10 + i,
    change_percent: Math.round((5 - i * 0.1) * 100) / 100,
    volume: 1_000 * (i + 1),
  }));
}

export interface WriteOptions {
  readonly sequence?: number;
  readonly timestamp?: string;
}

/**
 * The valid upstream: writes exactly as DESIGN 4.2 says (SET category and sequence, XADD, one MULTI)
 * and keeps the true rows of each list, the oracle every client's table is compared with. Garbage goes
 * through `xaddRaw`, which touches neither the keys nor the oracle.
 */
export class UpstreamWriter {
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

  /** The XADD fields of the list's last valid entry: replaying them is a duplicate. */
  lastFields(list: ScannerList): string[] {
    const fields = this.lastEntries.get(list);
    if (fields === undefined) throw new Error(`nothing written for ${list}`);
    return [...fields];
  }

  async snapshot(list: ScannerList, rows: ScannerRow[], options: WriteOptions = {}): Promise<number> {
    const sequence = options.sequence ?? this.sequenceOf(list) + 1;
    const timestamp = options.timestamp ?? this.now();
    this.lists.set(list, { sequence, rows });
    await this.write(list, { type: 'snapshot', list, sequence, rows, timestamp, count: rows.length });
    return sequence;
  }

  async delta(list: ScannerList, deltas: RankingDelta[], options: WriteOptions = {}): Promise<number> {
    const current = this.lists.get(list) ?? { sequence: 0, rows: [] };
    const sequence = options.sequence ?? current.sequence + 1;
    const timestamp = options.timestamp ?? this.now();
    const applied = applyRankingDeltas(current.rows, deltas, timestamp);
    if (!applied.ok) throw new Error(`fault-suite bug: an invalid valid delta: ${applied.error.message}`);
    this.lists.set(list, { sequence, rows: applied.value });
    await this.write(list, { type: 'delta', list, sequence, deltas, timestamp, change_count: deltas.length });
    return sequence;
  }

  /** A valid delta of a random kind (price update, removal, addition, swap of two ranks). */
  async randomDelta(list: ScannerList, random: SeededRandom): Promise<number> {
    return this.delta(list, randomValidDeltas(this.rowsOf(list), random, this.now()));
  }

  /** XADD of whatever fields, as a broken upstream would; returns the entry id. */
  async xaddRaw(fields: readonly string[]): Promise<string> {
    const id = await this.redis.xadd(this.keys.rankingDeltas, '*', ...fields);
    if (id === null) throw new Error('XADD returned no id');
    return id;
  }

  private async write(list: ScannerList, entry: RankingStreamEntry): Promise<void> {
    const state = this.lists.get(list);
    if (state === undefined) throw new Error('unreachable: the list was just set');
    const fields = encodeRankingStreamEntry(entry);
    this.lastEntries.set(list, fields);
    const results = await this.redis
      .multi()
      .set(this.keys.scannerCategory(list), encodeScannerRows(state.rows))
      .set(this.keys.scannerSequence(list), encodeSequence(state.sequence))
      .xadd(this.keys.rankingDeltas, '*', ...fields)
      .exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed) throw failed[0];
  }
}

/** Deltas that apply to `rows`: what upstream emits on a normal tick. */
export function randomValidDeltas(rows: readonly ScannerRow[], random: SeededRandom, timestamp: string): RankingDelta[] {
  const kind = rows.length < 3 ? 'add' : rows.length > 30 ? 'remove' : random.pick(['update', 'update', 'update', 'add', 'remove', 'swap'] as const);
  const row = rows.length === 0 ? undefined : random.pick(rows);
  switch (kind) {
    case 'add': {
      const symbol = `N${random.int(0, 999_999).toString(36).toUpperCase()}`;
      if (rows.some((r) => r.symbol === symbol)) return randomValidDeltas(rows, random, timestamp);
      return [{ action: 'add', rank: rows.length + 1, symbol, data: { timestamp, price: random.int(100, 99_999) / 100, volume: random.int(1, 1e6) } }];
    }
    case 'remove':
      return row === undefined ? [] : [{ action: 'remove', symbol: row.symbol }];
    case 'swap': {
      const [a, b] = [rows[0], rows[1]];
      if (a === undefined || b === undefined) return [];
      return [
        { action: 'rerank', symbol: a.symbol, old_rank: a.rank, new_rank: b.rank },
        { action: 'rerank', symbol: b.symbol, old_rank: b.rank, new_rank: a.rank },
      ];
    }
    case 'update': {
      if (row === undefined) return [];
      const { symbol: _symbol, rank: _rank, ...data } = row;
      return [{ action: 'update', rank: row.rank, symbol: row.symbol, data: { ...data, timestamp, price: random.int(100, 99_999) / 100 } }];
    }
  }
}
