import { marketDataMigration } from './0001-market-data.js';
import { volumeSlotsMigration } from './0002-volume-slots.js';
import { runLedgerMigration } from './0003-run-ledger.js';
import { jobRunsMigration } from './0004-job-runs.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** Every migration, in the order they apply. Append only. */
export const MIGRATIONS: readonly Migration[] = [marketDataMigration, volumeSlotsMigration, runLedgerMigration, jobRunsMigration];
