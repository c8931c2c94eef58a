import type { Migration } from './migration.js';

export const marketDataMigration: Migration = {
  version: 1,
  name: 'market_data_daily, ticker_metadata, atr_daily, latest_atr, volume_slot_averages',
  sql: `
CREATE TABLE market_data_daily (
  symbol  text             NOT NULL,
  date    date             NOT NULL,
  open    double precision NOT NULL,
  high    double precision NOT NULL,
  low     double precision NOT NULL,
  close   double precision NOT NULL,
  volume  double precision NOT NULL,
  vwap    double precision,
  trades  bigint,
  PRIMARY KEY (symbol, date)
);
-- Whole-day replaces and "who traded on D" look rows up by date first.
CREATE INDEX market_data_daily_date_idx ON market_data_daily (date);

CREATE TABLE ticker_metadata (
  symbol             text PRIMARY KEY,
  name               text,
  market_cap         double precision,
  sector             text,
  industry           text,
  float_shares       double precision,
  shares_outstanding double precision,
  exchange           text,
  type               text,
  active             boolean NOT NULL DEFAULT true,
  -- Sessions (not wall-clock days) in which the symbol was seen, so re-running a date changes nothing.
  first_seen         date    NOT NULL,
  last_seen          date    NOT NULL,
  -- When reference details were last written, derived from the session being processed; null until
  -- the source has been asked for them.
  updated_at         timestamptz,
  CHECK (first_seen <= last_seen)
);
CREATE INDEX ticker_metadata_active_idx ON ticker_metadata (symbol) WHERE active;

CREATE TABLE atr_daily (
  symbol      text             NOT NULL,
  date        date             NOT NULL,
  atr         double precision NOT NULL,
  atr_percent double precision NOT NULL,
  PRIMARY KEY (symbol, date)
);
CREATE INDEX atr_daily_date_idx ON atr_daily (date);

CREATE VIEW latest_atr AS
  SELECT DISTINCT ON (symbol) symbol, date, atr, atr_percent
  FROM atr_daily
  ORDER BY symbol, date DESC;

CREATE TABLE volume_slot_averages (
  symbol      text             NOT NULL,
  slot_number smallint         NOT NULL CHECK (slot_number BETWEEN 0 AND 77),
  avg_volume  double precision NOT NULL,
  sessions    smallint         NOT NULL CHECK (sessions >= 0),
  as_of       date             NOT NULL,
  PRIMARY KEY (symbol, slot_number)
);
`,
};
