import { type RedisKeys, type TickerMetadata, encodeAtrData, encodeRvolAverages, encodeTickerMetadata } from '@scanner/redis-keys';
import type { AtrRow } from '../db/atr-daily.js';
import type { TickerMetadataRow } from '../db/ticker-metadata.js';
import type { HashReplacement, StringReplacement } from '../redis/replace-keys.js';

// The per-ticker cache values, built one way for every task that writes them (the task that computes
// them, auto-recovery, and sync_redis repairing missing keys), so a repaired key equals a computed one.

/** The `metadata:ticker:<SYM>` value of a stored row; null for a row whose details were never fetched. */
export function metadataValue(row: TickerMetadataRow): TickerMetadata | null {
  if (row.updatedAt === null) return null;
  return {
    symbol: row.symbol,
    name: row.name,
    market_cap: row.marketCap,
    sector: row.sector,
    industry: row.industry,
    float_shares: row.floatShares,
    shares_outstanding: row.sharesOutstanding,
    exchange: row.exchange,
    type: row.type,
    updated_at: row.updatedAt.toISOString(),
  };
}

/** `metadata:ticker:<SYM>` of each stored row that has details; rows without are left out. */
export function metadataEntries(keys: RedisKeys, rows: Iterable<TickerMetadataRow>): StringReplacement[] {
  return [...rows].flatMap((row) => {
    const value = metadataValue(row);
    return value === null ? [] : [{ key: keys.tickerMetadata(row.symbol), value: encodeTickerMetadata(value) }];
  });
}

/** `atr:data:<SYM>` of each row, dated by the session the row was computed for. */
export function atrEntries(keys: RedisKeys, rows: Iterable<AtrRow>): HashReplacement[] {
  return [...rows].map((r) => ({ key: keys.atrData(r.symbol), fields: encodeAtrData({ atr: r.atr, atr_percent: r.atrPercent, date: r.date }) }));
}

/** Per symbol, slot -> average cumulative volume. */
export function averagesBySymbol(
  rows: Iterable<{ readonly symbol: string; readonly slotNumber: number; readonly avgVolume: number }>,
): Map<string, Map<number, number>> {
  const bySymbol = new Map<string, Map<number, number>>();
  for (const r of rows) {
    let slots = bySymbol.get(r.symbol);
    if (!slots) bySymbol.set(r.symbol, (slots = new Map()));
    slots.set(r.slotNumber, r.avgVolume);
  }
  return bySymbol;
}

/** `rvol:hist:avg:<SYM>` of each symbol. */
export function rvolEntries(keys: RedisKeys, bySymbol: ReadonlyMap<string, ReadonlyMap<number, number>>): HashReplacement[] {
  return [...bySymbol].map(([symbol, slots]) => ({ key: keys.rvolHistAvg(symbol), fields: encodeRvolAverages(slots) }));
}
