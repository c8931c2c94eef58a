import type { Migration } from './migration.js';

export const runLedgerMigration: Migration = {
  version: 3,
  name: 'maintenance_runs and maintenance_task_runs (the run ledger)',
  sql: `
CREATE TABLE maintenance_runs (
  run_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  date        date        NOT NULL,
  -- who asked: schedule, catch_up, cli, backfill, http
  trigger     text        NOT NULL,
  -- the tasks requested, in the order they run
  tasks       text[]      NOT NULL,
  status      text        NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
  started_at  timestamptz NOT NULL,
  finished_at timestamptz,
  error       text
);
CREATE INDEX maintenance_runs_date_idx ON maintenance_runs (date, run_id);

CREATE TABLE maintenance_task_runs (
  run_id      bigint      NOT NULL REFERENCES maintenance_runs (run_id) ON DELETE CASCADE,
  task        text        NOT NULL,
  status      text        NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'skipped', 'interrupted')),
  -- 1 for the first time this task ran for this date, counting every run of the date
  attempt     integer     NOT NULL CHECK (attempt >= 1),
  started_at  timestamptz NOT NULL,
  finished_at timestamptz,
  result      jsonb,
  error       text,
  PRIMARY KEY (run_id, task)
);
`,
};
