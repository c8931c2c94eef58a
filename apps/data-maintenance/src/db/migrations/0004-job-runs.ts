import type { Migration } from './migration.js';

export const jobRunsMigration: Migration = {
  version: 4,
  name: 'maintenance_job_runs (the ledger of the new-day and weekly-cleanup jobs)',
  sql: `
CREATE TABLE maintenance_job_runs (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- the daily cycle has its own ledger (maintenance_runs); these jobs have no tasks
  job         text        NOT NULL CHECK (job IN ('new_day', 'weekly_cleanup')),
  -- the New York date the run is for: the announced trading day, or the Sunday of the cleanup
  date        date        NOT NULL,
  -- who asked: schedule, catch_up, cli, http
  trigger     text        NOT NULL,
  status      text        NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
  started_at  timestamptz NOT NULL,
  finished_at timestamptz,
  result      jsonb,
  error       text,
  CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX maintenance_job_runs_job_date_idx ON maintenance_job_runs (job, date, id);
`,
};
