import { executeMany } from './executemany.js';
import type { OriginalTask } from './original-context.js';

const UPSERT_DAILY = `
INSERT INTO market_data_daily (symbol, date, open, high, low, close, volume, vwap)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (symbol, date) DO UPDATE SET
  open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
  volume = EXCLUDED.volume, vwap = EXCLUDED.vwap`;

/** LoadOHLCTask: the day's grouped daily bars, one INSERT ... ON CONFLICT per ticker. */
export const originalLoadOhlc: OriginalTask = async (context, date) => {
  const bars = await context.source.dailyBars(date);
  const rows = bars.map((b) => [b.symbol, date, b.open, b.high, b.low, b.close, b.volume, b.vwap]);
  return { rows: await executeMany(context.db, UPSERT_DAILY, rows), keys: 0 };
};
