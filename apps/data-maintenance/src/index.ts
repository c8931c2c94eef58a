/**
 * The app's public API for code outside it that drives the real modules side by side with baselines
 * (the benchmarks in bench/). Re-exports only: the app itself is composed in main.ts.
 */

// Configuration and clients.
export { ConfigError, type MaintenanceConfig, type TaskSettings, loadConfig } from './config.js';
export { createLogger } from './logger.js';
export { type Db, type PoolOptions, type Transactional, type TxClient, atomically, createPool, withTransaction } from './db/pool.js';
export { type MigrateResult, migrate } from './db/migrate.js';
export { checkSchemaName, quoteIdent } from './db/identifiers.js';

// The cycle and its tasks.
export { type CycleDeps, type CycleOptions, type CycleOutcome, CycleError, runCycle } from './cycle/run-cycle.js';
export { TASK_INPUTS } from './cycle/task-inputs.js';
export { type RunnerLockScope, withRunnerLock } from './cycle/with-runner-lock.js';
export { LockHeldError } from './redis/runner-lock.js';
export { CYCLE_TASKS, cleanupOldData, type Task, type TaskContext, type TaskOutcome, type TaskResult } from './tasks/index.js';
export { loadOhlc } from './tasks/load-ohlc.js';
export { loadVolumeSlots } from './tasks/load-volume-slots.js';
export { calculateAtr } from './tasks/calculate-atr.js';
export { calculateRvolAverages } from './tasks/calculate-rvol-averages.js';
export { enrichMetadata } from './tasks/enrich-metadata.js';
export { autoRecoverMissingTickers } from './tasks/auto-recover-missing-tickers.js';
export { syncRedis } from './tasks/sync-redis.js';

// Market data sources.
export {
  type DailyBar,
  type IntradayBar,
  type MarketDataSource,
  type PerTickerResult,
  SOURCE_NAMES,
  SourceError,
  type SourceName,
  type SourceStats,
  type TickerDetails,
  type TickerFailure,
} from './sources/market-data-source.js';
export { type SourceDependencies, createMarketDataSource } from './sources/create-source.js';
export { POLYGON_DEFAULTS, type SourceConfig } from './sources/source-config.js';
export { SyntheticMarketDataSource, type SyntheticSourceOptions } from './sources/synthetic/synthetic-source.js';
export { PolygonMarketDataSource, type PolygonSourceOptions } from './sources/polygon/polygon-source.js';
export { FlatFileMarketDataSource, type FlatFileSourceOptions } from './sources/flatfiles/flat-file-source.js';
export {
  AGG_HEADER,
  type FlatFileMinuteBar,
  writeDayAggs,
  writeGzipLines,
  writeMinuteAggs,
  writeTickerReference,
} from './sources/flatfiles/flat-file-writer.js';
export { type FlatFileKind, flatFilePath, tickerReferencePath } from './sources/flatfiles/flat-file-paths.js';
export { millisToNanos, nanosToMillis } from './sources/flatfiles/agg-line.js';

// Pure computations the tasks use.
export { type AtrOutcome, atrOnDate } from './core/atr.js';
export { type SlotVolume, computeVolumeSlots } from './core/volume-slots.js';
export { type RvolWindow, type SlotAverage, computeSlotAverages, rvolWindow } from './core/rvol-averages.js';

// PostgreSQL writes (COPY-based replaces) and reads.
export { type CopyValue, copyRows } from './db/copy-rows.js';
export { type ReplaceResult, type ReplaceScope } from './db/replace-scope.js';
export { loadDailyHistory, readDailyBars, replaceDailyBars } from './db/market-data-daily.js';
export { type VolumeSlotRow, readSlotsForSessions, replaceVolumeSlots, symbolsWithSlots, toVolumeSlotRows } from './db/volume-slots.js';
export { ensurePartitions, partitionName } from './db/volume-slot-partitions.js';
export { type AtrRow, readLatestAtr, replaceAtr } from './db/atr-daily.js';
export { readAverages, replaceAverages } from './db/volume-slot-averages.js';
export { type SymbolSlotAverages, averageSlotsInDb, replaceAveragesFromSlots, toSlotAverages } from './db/slot-averages-sql.js';
export { type TickerMetadataRow, activeSymbols, readMetadata, recordSeen, upsertMetadata } from './db/ticker-metadata.js';

// Redis writes and the cache values the tasks build.
export { type HashReplacement, type ReplaceOptions, type StringReplacement, replaceHashes, replaceStrings } from './redis/replace-keys.js';
export { scanKeys, unlinkKeys } from './redis/scan-keys.js';
export { atrEntries, averagesBySymbol, metadataEntries, rvolEntries } from './tasks/cache-entries.js';
export { maintenanceKeys } from './redis/maintenance-keys.js';
// The 03:00 announcement (SET trading:current_day + PUBLISH trading:new_day), for the lost-new-day faults.
export { type Announcement, announceNewDay } from './redis/announce-new-day.js';
