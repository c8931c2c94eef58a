import { atrEntries } from '@scanner/data-maintenance';
import { ORIGINAL_TTL_SECONDS, type OriginalTask } from './original-context.js';

interface AtrRow {
  readonly symbol: string;
  readonly date: string;
  readonly atr: number;
  readonly atr_percent: number;
}

/**
 * SyncRedisTask: DEL + SADD ticker:universe with every active symbol; HSET + EXPIRE of every ticker's
 * ATR from latest_atr (a refresh); EXISTS per ticker for metadata and RVOL averages, rewriting the
 * missing ones; SCAN metadata:ticker:* and DEL the keys of symbols no longer in the universe. Every
 * command awaited on its own.
 */
export const originalSyncRedis: OriginalTask = async (context) => {
  const { db, redis, keys } = context;
  const universe = (await db.query<{ symbol: string }>('SELECT symbol FROM ticker_metadata WHERE active ORDER BY symbol')).rows.map((r) => r.symbol);
  await redis.del(keys.tickerUniverse);
  if (universe.length > 0) await redis.sadd(keys.tickerUniverse, ...universe);
  let written = 1;

  const atr = await db.query<AtrRow>('SELECT symbol, date::text AS date, atr, atr_percent FROM latest_atr WHERE symbol = ANY($1::text[])', [universe]);
  for (const row of atr.rows) {
    for (const entry of atrEntries(keys, [{ symbol: row.symbol, date: row.date, atr: row.atr, atrPercent: row.atr_percent }])) {
      await redis.hset(entry.key, entry.fields);
      await redis.expire(entry.key, ORIGINAL_TTL_SECONDS.atr);
      written += 1;
    }
  }

  const metadata = await db.query<{ symbol: string }>('SELECT * FROM ticker_metadata WHERE symbol = ANY($1::text[])', [universe]);
  for (const row of metadata.rows) {
    const key = keys.tickerMetadata(row.symbol);
    if ((await redis.exists(key)) === 1) continue;
    await redis.set(key, JSON.stringify(row), 'EX', ORIGINAL_TTL_SECONDS.metadata);
    written += 1;
  }

  const averages = await db.query<{ symbol: string; slot_number: number; avg_volume: number }>(
    'SELECT symbol, slot_number, avg_volume FROM volume_slot_averages ORDER BY symbol, slot_number',
  );
  const bySymbol = new Map<string, Record<string, string>>();
  for (const row of averages.rows) {
    const fields = bySymbol.get(row.symbol) ?? {};
    fields[String(row.slot_number)] = String(row.avg_volume);
    bySymbol.set(row.symbol, fields);
  }
  for (const [symbol, fields] of bySymbol) {
    const key = keys.rvolHistAvg(symbol);
    if ((await redis.exists(key)) === 1) continue;
    await redis.hset(key, fields);
    await redis.expire(key, ORIGINAL_TTL_SECONDS.rvol);
    written += 1;
  }

  const active = new Set(universe);
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', keys.patterns.tickerMetadata, 'COUNT', 1000);
    for (const key of batch) {
      const symbol = keys.symbolOf('tickerMetadata', key);
      if (symbol !== null && !active.has(symbol)) written += await redis.del(key);
    }
    cursor = next;
  } while (cursor !== '0');
  return { rows: 0, keys: written };
};
