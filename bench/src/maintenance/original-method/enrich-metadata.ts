import { ORIGINAL_TTL_SECONDS, type OriginalTask } from './original-context.js';

/** EnrichMetadataTask: the details of every ticker with a bar that day, then SET metadata:ticker:<SYM> ... EX per ticker. No table. */
export const originalEnrichMetadata: OriginalTask = async (context, date) => {
  const symbols = (await context.db.query<{ symbol: string }>('SELECT symbol FROM market_data_daily WHERE date = $1 ORDER BY symbol', [date])).rows.map(
    (r) => r.symbol,
  );
  const details = await context.source.tickerDetails(symbols);
  let keys = 0;
  for (const d of details.values.values()) {
    const value = JSON.stringify({
      symbol: d.symbol,
      name: d.name,
      market_cap: d.marketCap,
      sector: d.sector,
      industry: d.industry,
      float_shares: d.floatShares,
      shares_outstanding: d.sharesOutstanding,
      exchange: d.exchange,
      type: d.type,
      active: d.active,
    });
    await context.redis.set(context.keys.tickerMetadata(d.symbol), value, 'EX', ORIGINAL_TTL_SECONDS.metadata);
    keys += 1;
  }
  return { rows: 0, keys };
};
