import { quoteIdent, replaceDailyBars } from '@scanner/data-maintenance';
import { type BenchEnvironment, targetPartition } from './bench-environment.js';
import { FLOOR_TABLE } from './floors.js';

/**
 * Puts the database back where the setup left it before each measured run, so every run, whichever
 * variant, starts from the same state as a first run of the day would: no rows of the target session
 * (its partition empty), the previous session as loaded, the floor table empty; then VACUUM ANALYZE
 * (dead rows of the previous run gone, fresh statistics) and a CHECKPOINT (no dirty pages of the
 * previous run left to write during this one). Redis holds the last run's keys, as after yesterday's run.
 */
export async function resetTargetSession(env: BenchEnvironment): Promise<void> {
  const { pool, plan } = env;
  await pool.query('DELETE FROM market_data_daily WHERE date = $1', [plan.target]);
  await replaceDailyBars(pool, plan.setupSession, env.previousBars);
  await pool.query('DELETE FROM atr_daily WHERE date = $1', [plan.target]);
  await pool.query(`TRUNCATE ${targetPartition(env)}, ${quoteIdent(FLOOR_TABLE)}`);
  await pool.query(
    `VACUUM (ANALYZE) market_data_daily, atr_daily, volume_slot_averages, ticker_metadata, ${targetPartition(env)}, ${quoteIdent(FLOOR_TABLE)}`,
  );
  await pool.query('CHECKPOINT');
}
