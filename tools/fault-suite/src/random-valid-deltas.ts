import type { RankingDelta, ScannerRow } from '@scanner/shared-types';
import type { SeededRandom } from './seeded-random.js';

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
