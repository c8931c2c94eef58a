import type pg from 'pg';
import { BenchError } from '../report/bench-error.js';

export interface SlotChecksum {
  readonly rows: number;
  readonly md5: string;
}

/** The slot rows of a table, in key order, as one md5: two loads stored the same rows when these match. */
export async function slotChecksum(pool: pg.Pool, table: string): Promise<SlotChecksum> {
  const res = await pool.query<SlotChecksum>(
    `SELECT count(*)::int AS rows,
            md5(coalesce(string_agg(concat_ws(',', symbol, date, slot_number, slot_time, volume_accumulated), E'\\n'
                ORDER BY symbol, slot_number), '')) AS md5
     FROM ${table}`,
  );
  const row = res.rows[0];
  if (row === undefined) throw new BenchError('RUN_FAILED', `no checksum of ${table}`);
  return row;
}
