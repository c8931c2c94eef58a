import type { MarketDataSource, TaskSettings, VolumeSlotRow } from '@scanner/data-maintenance';
import type { IsoDate, TradingCalendar } from '@scanner/market-calendar';
import type { RedisKeys } from '@scanner/redis-keys';
import type { Redis } from 'ioredis';
import type pg from 'pg';

/**
 * The seed service as it was (data-maintenance-overview.md): one PostgreSQL connection and one Redis
 * connection, every statement and every command awaited on its own.
 */
export interface OriginalContext {
  readonly db: pg.Client;
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly source: MarketDataSource;
  readonly calendar: TradingCalendar;
  readonly settings: TaskSettings;
  /** See MaintenancePlan.originalSlotSample. */
  readonly slotSample: readonly [number, number] | null;
  /**
   * Writes the slot rows the sample left out, with the app's COPY, outside the measured time, so the
   * tasks after it read the whole session as they would have.
   */
  readonly loadRemainingSlots: (date: IsoDate, rows: readonly VolumeSlotRow[]) => Promise<void>;
}

/** What an original task did. `seconds` replaces the wall time when part of the task was extrapolated. */
export interface OriginalTaskOutcome {
  readonly rows: number;
  readonly keys: number;
  readonly seconds?: number;
  readonly extra?: Readonly<Record<string, number>>;
}

export type OriginalTask = (context: OriginalContext, date: IsoDate) => Promise<OriginalTaskOutcome>;

/** The seed's TTLs: ATR and metadata 24 hours, RVOL averages 14 hours. */
export const ORIGINAL_TTL_SECONDS = { atr: 24 * 3600, metadata: 24 * 3600, rvol: 14 * 3600 } as const;

/** psycopg2's executemany has no batch size of its own and the seed names none: 1,000 rows per transaction. */
export const EXECUTEMANY_BATCH = 1_000;
