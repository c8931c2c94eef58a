import { atrEntries, atrOnDate } from '@scanner/data-maintenance';
import { ORIGINAL_TTL_SECONDS, type OriginalTask } from './original-context.js';

interface BarRow {
  readonly date: string;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/**
 * CalculateATRTask: for each ticker, one query for its recent bars, the ATR, and HSET atr:data:<SYM>
 * then EXPIRE, each awaited. The seed's query read `LIMIT 14`; here it reads the app's window
 * (ATR_MAX_SESSIONS) so both compute the same Wilder ATR: same work per ticker, one round trip each.
 */
export const originalCalculateAtr: OriginalTask = async (context, date) => {
  const { atrPeriod, atrMaxSessions } = context.settings;
  const from = context.calendar.lastSessions(atrMaxSessions, date)[0] ?? date;
  const symbols = (await context.db.query<{ symbol: string }>('SELECT symbol FROM market_data_daily WHERE date = $1 ORDER BY symbol', [date])).rows;
  let keys = 0;
  for (const { symbol } of symbols) {
    const res = await context.db.query<BarRow>(
      `SELECT date::text AS date, high, low, close FROM market_data_daily
       WHERE symbol = $1 AND date >= $2 ORDER BY date DESC LIMIT $3`,
      [symbol, from, atrMaxSessions],
    );
    const outcome = atrOnDate(res.rows.reverse(), date, atrPeriod);
    if (outcome.kind !== 'ok') continue;
    for (const entry of atrEntries(context.keys, [{ symbol, date, atr: outcome.atr, atrPercent: outcome.atrPercent }])) {
      await context.redis.hset(entry.key, entry.fields);
      await context.redis.expire(entry.key, ORIGINAL_TTL_SECONDS.atr);
      keys += 1;
    }
  }
  return { rows: 0, keys };
};
