import type { MaintenanceTaskName } from '@scanner/shared-types';

/**
 * What each task reads that another task of the cycle writes. A task runs only when none of these
 * failed or was skipped for the date; otherwise it would compute from stale or missing data.
 * - load_volume_slots, calculate_atr, enrich_metadata: the session's symbols and bars (load_ohlc).
 * - calculate_rvol_averages: the session's slots (load_volume_slots).
 * - auto_recover_missing_tickers: the universe as of the session (enrich_metadata).
 * - sync_redis mirrors the ATR, RVOL and metadata tables, so it needs them current; a failed
 *   auto_recover only means fewer new tickers, not stale ones, so it does not hold the sync back.
 */
export const TASK_INPUTS: Readonly<Record<MaintenanceTaskName, readonly MaintenanceTaskName[]>> = {
  load_ohlc: [],
  load_volume_slots: ['load_ohlc'],
  calculate_atr: ['load_ohlc'],
  calculate_rvol_averages: ['load_volume_slots'],
  enrich_metadata: ['load_ohlc'],
  auto_recover_missing_tickers: ['enrich_metadata'],
  sync_redis: ['calculate_atr', 'calculate_rvol_averages', 'enrich_metadata'],
};
