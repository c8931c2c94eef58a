import type { OriginalTask } from './original-context.js';
import { ORIGINAL_TTL_SECONDS } from './original-context.js';

/**
 * CalculateRVOLHistoricalAveragesTask: DEL every rvol:hist:avg:* key first (found by SCAN, deleted one
 * command each), then per ticker one AVG ... GROUP BY slot_number query over the lookback and one HSET of
 * its 78 slots plus EXPIRE, each awaited. The seed wrote Redis only (no table), so this does too.
 */
export const originalCalculateRvolAverages: OriginalTask = async (context, date) => {
  const window = context.calendar.lastSessions(context.settings.rvolSessions, date);
  const from = window[0] ?? date;
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, batch] = await context.redis.scan(cursor, 'MATCH', context.keys.patterns.rvolHistAvg, 'COUNT', 1000);
    for (const key of batch) deleted += await context.redis.del(key);
    cursor = next;
  } while (cursor !== '0');

  const symbols = (await context.db.query<{ symbol: string }>('SELECT DISTINCT symbol FROM volume_slots WHERE date >= $1 ORDER BY symbol', [from])).rows;
  let written = 0;
  for (const { symbol } of symbols) {
    const res = await context.db.query<{ slot_number: number; avg_vol: number }>(
      `SELECT slot_number, AVG(volume_accumulated) AS avg_vol
       FROM volume_slots WHERE symbol = $1 AND date >= $2 GROUP BY slot_number`,
      [symbol, from],
    );
    if (res.rows.length === 0) continue;
    const key = context.keys.rvolHistAvg(symbol);
    await context.redis.hset(key, Object.fromEntries(res.rows.map((r) => [String(r.slot_number), String(r.avg_vol)])));
    await context.redis.expire(key, ORIGINAL_TTL_SECONDS.rvol);
    written += 1;
  }
  return { rows: 0, keys: deleted + written };
};
