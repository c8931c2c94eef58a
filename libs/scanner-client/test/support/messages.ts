import type { RankingDelta, ScannerList, ScannerRow } from '@scanner/shared-types';

/** Server frames as the server writes them, for unit tests. */
export const DAY = '2025-11-26';
export const NEXT_DAY = '2025-11-28';
export const AT = '2025-11-26T15:00:00.000Z';

export function row(symbol: string, rank: number, price = 10): ScannerRow {
  return { symbol, rank, timestamp: AT, price };
}

export function connected(epoch: string | null = DAY) {
  return { type: 'connected', connection_id: '0f6c1a52-8d0e-4f8e-9a53-2b7c3f0e9d11', epoch, lists: ['winners'], server_time: AT };
}

export function snapshot(list: ScannerList, sequence: number, rows: ScannerRow[], epoch = DAY) {
  return { type: 'snapshot' as const, list, epoch, sequence, rows, count: rows.length, timestamp: AT };
}

export function delta(list: ScannerList, sequence: number, deltas: RankingDelta[], epoch = DAY) {
  return { type: 'delta' as const, list, epoch, sequence, deltas, change_count: deltas.length, timestamp: AT };
}

export function subscribedList(list: ScannerList, sequence: number, epoch: string | null = DAY) {
  return { type: 'subscribed_list' as const, list, epoch, sequence };
}

export function priceUpdate(symbol: string, rank: number, price: number): RankingDelta {
  return { action: 'update', rank, symbol, data: { timestamp: AT, price } };
}
