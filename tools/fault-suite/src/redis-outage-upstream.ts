import { type RankingStreamEntry, type RedisKeys, encodeRankingStreamEntry, encodeScannerRows, encodeSequence } from '@scanner/redis-keys';
import { type RankingDelta, type ScannerList, type ScannerRow, applyRankingDeltas } from '@scanner/shared-types';
import type { Redis } from 'ioredis';

/** Ranked rows as the upstream scanner writes them; `tag` keeps two lists' symbols apart. */
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
 * Plays the upstream scanner as DESIGN 4.2 says it writes (SET scanner:category:<L> and
 * scanner:sequence:<L>, then XADD stream:ranking:deltas, in one MULTI) on its own connection straight
 * to Redis, never through the proxy. It keeps the true rows and sequence of every list, which is what
 * the clients' tables must equal once the server has recovered.
 */
export class UpstreamWriter {
  private readonly lists = new Map<ScannerList, { sequence: number; rows: ScannerRow[] }>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => string,
  ) {}

  rowsOf(list: ScannerList): readonly ScannerRow[] {
    return this.lists.get(list)?.rows ?? [];
  }

  sequenceOf(list: ScannerList): number {
    return this.lists.get(list)?.sequence ?? 0;
  }

  async snapshot(list: ScannerList, rows: ScannerRow[]): Promise<number> {
    const sequence = this.sequenceOf(list) + 1;
    const timestamp = this.now();
    this.lists.set(list, { sequence, rows });
    await this.write(list, { type: 'snapshot', list, sequence, rows, timestamp, count: rows.length });
    return sequence;
  }

  /** Raises the price of the row at `rank` (default: a different row each time): always applicable, always visible. */
  async tick(list: ScannerList, rank?: number): Promise<number> {
    const current = this.lists.get(list);
    if (current === undefined || current.rows.length === 0) throw new Error(`test bug: tick on ${list}, which has no rows`);
    const row = current.rows[((rank ?? current.sequence) - 1 + current.rows.length) % current.rows.length] as ScannerRow;
    const timestamp = this.now();
    const deltas: RankingDelta[] = [{ action: 'update', rank: row.rank, symbol: row.symbol, data: { ...row, price: Number(row['price']) + 1, timestamp } }];
    const applied = applyRankingDeltas(current.rows, deltas, timestamp);
    if (!applied.ok) throw new Error(`test bug: ${applied.error.message}`);
    const sequence = current.sequence + 1;
    this.lists.set(list, { sequence, rows: applied.value });
    await this.write(list, { type: 'delta', list, sequence, deltas, timestamp, change_count: deltas.length });
    return sequence;
  }

  /** XTRIM to the newest `keep` entries: what MAXLEN does to entries a reader has not reached yet. */
  async trimStream(keep: number): Promise<number> {
    return this.redis.xtrim(this.keys.rankingDeltas, 'MAXLEN', keep);
  }

  private async write(list: ScannerList, entry: RankingStreamEntry): Promise<void> {
    const state = this.lists.get(list);
    if (state === undefined) throw new Error('unreachable');
    const replies = await this.redis
      .multi()
      .set(this.keys.scannerCategory(list), encodeScannerRows(state.rows))
      .set(this.keys.scannerSequence(list), encodeSequence(state.sequence))
      .xadd(this.keys.rankingDeltas, '*', ...encodeRankingStreamEntry(entry))
      .exec();
    const failed = replies?.find(([error]) => error !== null);
    if (replies === null || failed !== undefined) throw failed?.[0] ?? new Error('upstream MULTI aborted');
  }
}
