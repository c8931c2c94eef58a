import type { TickerMetadata } from '@scanner/redis-keys';
import type { TickerMetadataRow } from '../db/ticker-metadata.js';

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
