import type { MaintenanceTaskName } from '@scanner/shared-types';
import { autoRecoverMissingTickers } from './auto-recover-missing-tickers.js';
import { calculateAtr } from './calculate-atr.js';
import { calculateRvolAverages } from './calculate-rvol-averages.js';
import { enrichMetadata } from './enrich-metadata.js';
import { loadOhlc } from './load-ohlc.js';
import { loadVolumeSlots } from './load-volume-slots.js';
import { syncRedis } from './sync-redis.js';
import type { Task, TaskContext } from './task-context.js';

/** The seven tasks of the daily cycle (DESIGN 5.2), by their MAINTENANCE_TASKS names. */
export const CYCLE_TASKS: Readonly<Record<MaintenanceTaskName, Task<TaskContext>>> = {
  load_ohlc: loadOhlc,
  load_volume_slots: loadVolumeSlots,
  calculate_atr: calculateAtr,
  calculate_rvol_averages: calculateRvolAverages,
  enrich_metadata: enrichMetadata,
  auto_recover_missing_tickers: autoRecoverMissingTickers,
  sync_redis: syncRedis,
};

export { cleanupOldData } from './cleanup-old-data.js';
export type { Task, TaskContext } from './task-context.js';
export type { TaskResult, TaskOutcome } from './task-result.js';
