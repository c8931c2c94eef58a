import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  type SlotAverage,
  SyntheticMarketDataSource,
  averagesBySymbol,
  computeSlotAverages,
  computeVolumeSlots,
  createPool,
  migrate,
  readSlotsForSessions,
  replaceAverages,
  replaceAveragesFromSlots,
  replaceVolumeSlots,
  rvolWindow,
  symbolsWithSlots,
  toVolumeSlotRows,
} from '@scanner/data-maintenance';
import { FULL_DAY_SLOTS, nyseCalendar } from '@scanner/market-calendar';
import type pg from 'pg';
import { benchLog } from '../report/bench-log.js';
import { ratioSpread, spread } from '../report/stats.js';

/*
 * Side-by-side probe of calculate_rvol_averages' averaging: the previous method (read every window slot
 * row into Node in symbol chunks, computeSlotAverages, COPY the averages back) against the SQL one
 * (replaceAveragesFromSlots: computed, inserted and returned by one statement). Same data, each variant
 * run alternately, the median of the runs reported; the stored table must be identical after each.
 *
 *   npx tsx --conditions=development bench/src/maintenance/rvol-sql-probe.ts [--symbols 2000] [--runs 3]
 */

const DATABASE_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGET = '2026-11-20';
/** What the task read per query before. */
const READ_CHUNK = 500;

async function previousMethod(pool: pg.Pool, window: readonly string[]): Promise<number> {
  const averages: SlotAverage[] = [];
  const symbols = await symbolsWithSlots(pool, window);
  for (let i = 0; i < symbols.length; i += READ_CHUNK) {
    const samples = await readSlotsForSessions(pool, window, symbols.slice(i, i + READ_CHUNK));
    averages.push(...computeSlotAverages(samples, window, FULL_DAY_SLOTS));
  }
  await replaceAverages(pool, TARGET, averages);
  return averagesBySymbol(averages).size;
}

async function sqlMethod(pool: pg.Pool, window: readonly string[]): Promise<number> {
  const { averages } = await replaceAveragesFromSlots(pool, TARGET, window, FULL_DAY_SLOTS);
  return new Map(averages.map((a) => [a.symbol, new Map(a.avgVolumes.map((v, slot) => [slot, v]))])).size;
}

async function tableDigest(pool: pg.Pool): Promise<string> {
  const res = await pool.query<{ rows: number; md5: string }>(
    `SELECT count(*)::int AS rows, md5(string_agg(t::text, E'\\n' ORDER BY symbol, slot_number)) AS md5 FROM volume_slot_averages t`,
  );
  const row = res.rows[0];
  return `${row?.rows ?? 0} rows, md5 ${row?.md5 ?? ''}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { symbols: { type: 'string', default: '2000' }, runs: { type: 'string', default: '3' } } });
  const symbolCount = Number(values.symbols);
  const runs = Number(values.runs);
  if (!Number.isInteger(symbolCount) || symbolCount < 1 || !Number.isInteger(runs) || runs < 1) {
    throw new Error(`--symbols and --runs must be positive integers, got ${values.symbols} and ${values.runs}`);
  }
  const schema = `bench_rvol_${randomBytes(5).toString('hex')}`;
  const pool = createPool({ connectionString: DATABASE_URL, schema, max: 4 });
  try {
    await migrate(pool, schema);
    const window = rvolWindow(nyseCalendar, TARGET, 5).sessions;
    const source = new SyntheticMarketDataSource({ universeSize: symbolCount, seed: 1 });
    let slotRows = 0;
    for (const date of window) {
      const session = nyseCalendar.session(date);
      const bars = await source.intradayBars(date, source.symbols);
      const rows = [...bars.values].flatMap(([symbol, list]) => toVolumeSlotRows(symbol, date, computeVolumeSlots(list, session).slots));
      await replaceVolumeSlots(pool, date, rows);
      slotRows += rows.length;
    }
    await pool.query('ANALYZE volume_slots');
    benchLog('rvol_sql_probe_loaded', { schema, symbols: symbolCount, sessions: window.length, slot_rows: slotRows });

    const previous: number[] = [];
    const sql: number[] = [];
    const digests = new Set<string>();
    for (let run = 0; run < runs; run++) {
      for (const [name, method, times] of [
        ['previous', previousMethod, previous],
        ['sql', sqlMethod, sql],
      ] as const) {
        const started = performance.now();
        const symbols = await method(pool, window);
        const seconds = (performance.now() - started) / 1000;
        times.push(seconds);
        const digest = await tableDigest(pool);
        digests.add(digest);
        benchLog('rvol_sql_probe_run', { run: run + 1, method: name, seconds, symbols, table: digest });
      }
    }
    const ratio = ratioSpread(previous, sql);
    const summary = {
      symbols: symbolCount,
      slot_rows: slotRows,
      runs,
      previous_seconds: spread(previous),
      sql_seconds: spread(sql),
      previous_over_sql: ratio,
      identical_tables: digests.size === 1,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (digests.size !== 1) process.exitCode = 1;
  } finally {
    try {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await pool.end();
    }
  }
}

await main();
