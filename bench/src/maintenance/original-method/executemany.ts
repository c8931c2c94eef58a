import type pg from 'pg';
import { EXECUTEMANY_BATCH } from './original-context.js';

/**
 * psycopg2's `cursor.executemany(sql, rows)` followed by `conn.commit()`, once per batch: a loop that
 * executes the one-row statement for each row in turn, one round trip each, inside one transaction per
 * batch. Returns the rows executed.
 */
export async function executeMany(db: pg.Client, sql: string, rows: ReadonlyArray<readonly unknown[]>, batchSize = EXECUTEMANY_BATCH): Promise<number> {
  for (let start = 0; start < rows.length; start += batchSize) {
    await db.query('BEGIN');
    try {
      for (const row of rows.slice(start, start + batchSize)) await db.query(sql, [...row]);
      await db.query('COMMIT');
    } catch (error) {
      await db.query('ROLLBACK');
      throw error;
    }
  }
  return rows.length;
}
