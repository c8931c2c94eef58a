import { type VolumeSlotRow, computeVolumeSlots, toVolumeSlotRows } from '@scanner/data-maintenance';
import { decodeMarketSnapshot } from '@scanner/redis-keys';
import { BenchError } from '../../report/bench-error.js';
import { executeMany } from './executemany.js';
import type { OriginalTask } from './original-context.js';

const UPSERT_SLOT = `
INSERT INTO volume_slots (symbol, date, slot_number, slot_time, volume_accumulated)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (symbol, date, slot_number) DO UPDATE SET
  slot_time = EXCLUDED.slot_time, volume_accumulated = EXCLUDED.volume_accumulated`;

const asParams = (rows: readonly VolumeSlotRow[]) => rows.map((r) => [r.symbol, r.date, r.slotNumber, r.slotTime, r.volumeAccumulated]);

/**
 * LoadVolumeSlotsTask: the active symbols from snapshot:enriched:latest, each one's 5-minute bars, the
 * cumulative volume per slot, and one INSERT ... ON CONFLICT per slot row (about 936,000).
 *
 * With a sample (MaintenancePlan.originalSlotSample) only the first symbols' rows go in row by row, in
 * two consecutive sizes timed apart (their rows/s show the time is linear in rows); the insert time is
 * scaled to every row, and the rest of the rows are copied in untimed for the tasks after this one.
 */
export const originalLoadVolumeSlots: OriginalTask = async (context, date) => {
  const began = performance.now();
  const snapshot = decodeMarketSnapshot(await context.redis.get(context.keys.enrichedSnapshot));
  if (!snapshot.ok) throw new BenchError('RUN_FAILED', `original load_volume_slots: no readable snapshot (${snapshot.error.message})`);
  const symbols = snapshot.value.tickers.map((t) => t.ticker);
  const session = context.calendar.session(date);
  const fetched = await context.source.intradayBars(date, symbols);
  const bySymbol = symbols.map((symbol) => toVolumeSlotRows(symbol, date, computeVolumeSlots(fetched.values.get(symbol) ?? [], session).slots));
  const rows = bySymbol.flat();

  if (context.slotSample === null) {
    await executeMany(context.db, UPSERT_SLOT, asParams(rows));
    return { rows: rows.length, keys: 0 };
  }
  const [first, second] = context.slotSample;
  const sampleA = bySymbol.slice(0, first).flat();
  const sampleB = bySymbol.slice(first, first + second).flat();
  const prepared = performance.now();
  await executeMany(context.db, UPSERT_SLOT, asParams(sampleA));
  const afterA = performance.now();
  await executeMany(context.db, UPSERT_SLOT, asParams(sampleB));
  const afterB = performance.now();
  await context.loadRemainingSlots(date, bySymbol.slice(first + second).flat());

  const sampleRows = sampleA.length + sampleB.length;
  const insertSeconds = ((afterB - prepared) / 1000) * (rows.length / sampleRows);
  return {
    rows: rows.length,
    keys: 0,
    seconds: (prepared - began) / 1000 + insertSeconds,
    extra: {
      slot_prepare_seconds: (prepared - began) / 1000,
      slot_sample_a_rows: sampleA.length,
      slot_sample_a_seconds: (afterA - prepared) / 1000,
      slot_sample_b_rows: sampleB.length,
      slot_sample_b_seconds: (afterB - afterA) / 1000,
      slot_insert_seconds_scaled: insertSeconds,
    },
  };
};
