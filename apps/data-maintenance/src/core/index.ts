export { CORE_ERROR_CODES, CoreError, type CoreErrorCode } from './core-error.js';
export { DEFAULT_ATR_PERIOD, atrOnDate, atrSeries, trueRanges, type AtrBar, type AtrOutcome } from './atr.js';
export { computeVolumeSlots, type SlotVolume, type VolumeBar, type VolumeSlotsResult } from './volume-slots.js';
export {
  DEFAULT_RVOL_SESSIONS,
  computeSlotAverages,
  rvolWindow,
  type RvolWindow,
  type SlotAverage,
  type SlotSample,
} from './rvol-averages.js';
export { planPartitionRetention, type DatePartition, type RetentionInput, type RetentionPlan } from './partition-retention.js';
export { leaseLapsesBeforeRetry, type LeaseTiming } from './lease-timing.js';
