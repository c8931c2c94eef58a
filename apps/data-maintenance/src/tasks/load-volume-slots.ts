import type { IsoDate } from '@scanner/market-calendar';
import { computeVolumeSlots } from '../core/volume-slots.js';
import { readDailyBars } from '../db/market-data-daily.js';
import { type VolumeSlotRow, replaceVolumeSlots, toVolumeSlotRows } from '../db/volume-slots.js';
import type { IntradayBar, PerTickerResult } from '../sources/market-data-source.js';
import type { TaskContext } from './task-context.js';
import { type SymbolFailure, type TaskResult, completed, describeFailures, errorInfo, failed, fromTickerFailures } from './task-result.js';

export type LoadVolumeSlotsDeps = Pick<TaskContext, 'pool' | 'source' | 'calendar'>;

/**
 * For every symbol with a daily bar that session: the cumulative volume (pre-market included) at the
 * end of each regular-session slot, 78 (42 on an early-close day), into volume_slots (the date's rows
 * replaced in one transaction; the day's partition and the next few are created first). A ticker the
 * source failed on makes the task fail, naming it; the others are still stored. A ticker whose daily bar
 * shows volume but for which the source has no intraday bar is skipped and named, not stored as a day of
 * zeros: zeros would drag its RVOL baseline down for a week; without the row it averages over the
 * sessions it has. A ticker with no volume that day did not trade: its slots are truly 0.
 */
export async function loadVolumeSlots(deps: LoadVolumeSlotsDeps, date: IsoDate): Promise<TaskResult> {
  const daily = await readDailyBars(deps.pool, date);
  if (daily.length === 0) return failed(`no daily bars stored for ${date}: load_ohlc has not loaded the session`);
  const symbols = daily.map((b) => b.symbol);
  const dailyVolume = new Map(daily.map((b) => [b.symbol, b.volume]));
  const session = deps.calendar.session(date);

  let fetched: PerTickerResult<IntradayBar[]>;
  try {
    fetched = await deps.source.intradayBars(date, symbols);
  } catch (error) {
    const { code, message } = errorInfo(error);
    return failed(`the ${deps.source.name} source could not give the ${date} intraday bars: ${code}: ${message}`, {
      counts: { symbols: symbols.length, loaded: 0, failed: symbols.length },
    });
  }

  const failures: SymbolFailure[] = fromTickerFailures(fetched.failures);
  const failedSymbols = new Set(failures.map((f) => f.symbol));
  const rows: VolumeSlotRow[] = [];
  const noBars: string[] = [];
  let loaded = 0;
  for (const symbol of symbols) {
    if (failedSymbols.has(symbol)) continue;
    const bars = fetched.values.get(symbol) ?? [];
    if (bars.length === 0 && (dailyVolume.get(symbol) ?? 0) > 0) {
      noBars.push(symbol);
      continue;
    }
    try {
      rows.push(...toVolumeSlotRows(symbol, date, computeVolumeSlots(bars, session).slots));
      loaded += 1;
    } catch (error) {
      const { code, message } = errorInfo(error);
      failures.push({ symbol, code, message });
      failedSymbols.add(symbol);
    }
  }
  // The source must not answer for symbols it was not asked about; a failure for one is still reported.
  const asked = new Set(symbols);
  const unasked = [...fetched.values.keys()].filter((s) => !asked.has(s));

  if (rows.length > 0) await replaceVolumeSlots(deps.pool, date, rows, { calendar: deps.calendar });
  const counts = {
    symbols: symbols.length,
    loaded,
    failed: failures.length,
    rows: rows.length,
    slots_per_symbol: session.slotCount,
    without_intraday_bars: noBars.length,
  };
  const parts = {
    counts,
    failures,
    skipped: { no_intraday_bars_despite_daily_volume: noBars },
    details: { early_close: session.earlyClose, unasked_symbols_ignored: unasked.length },
  };
  if (failures.length > 0) return failed(describeFailures('failed', failures), parts);
  if (rows.length === 0) return failed(`no volume slots computed for ${date}`, parts);
  return completed(parts);
}
