import type { Migration } from './migration.js';

/**
 * volume_slots is partitioned by day: retention drops whole partitions instead of deleting rows.
 * When TimescaleDB is installed and preloaded, it is a hypertable with 1-day chunks instead (the
 * extension then creates and drops chunks itself; see volume-slot-partitions.ts). The extension's
 * functions are called schema-qualified because search_path holds only the app's schema.
 */
export const volumeSlotsMigration: Migration = {
  version: 2,
  name: 'volume_slots partitioned by day (TimescaleDB hypertable when available)',
  sql: `
DO $migration$
DECLARE
  tsdb_schema text;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
     OR (EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
         AND coalesce(current_setting('shared_preload_libraries', true), '') LIKE '%timescaledb%') THEN
    CREATE EXTENSION IF NOT EXISTS timescaledb;
    SELECT extnamespace::regnamespace::text INTO tsdb_schema FROM pg_extension WHERE extname = 'timescaledb';
    CREATE TABLE volume_slots (
      symbol             text             NOT NULL,
      date               date             NOT NULL,
      slot_number        smallint         NOT NULL CHECK (slot_number BETWEEN 0 AND 77),
      slot_time          timestamptz      NOT NULL,
      volume_accumulated double precision NOT NULL,
      PRIMARY KEY (symbol, date, slot_number)
    );
    EXECUTE format('SELECT %s.create_hypertable(%L, %L, chunk_time_interval => INTERVAL %L)',
                   quote_ident(tsdb_schema), 'volume_slots', 'date', '1 day');
  ELSE
    CREATE TABLE volume_slots (
      symbol             text             NOT NULL,
      date               date             NOT NULL,
      slot_number        smallint         NOT NULL CHECK (slot_number BETWEEN 0 AND 77),
      slot_time          timestamptz      NOT NULL,
      volume_accumulated double precision NOT NULL,
      PRIMARY KEY (symbol, date, slot_number)
    ) PARTITION BY RANGE (date);
  END IF;
END
$migration$;
`,
};
