import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Clock, IsoDate, TradingCalendar } from '@scanner/market-calendar';
import type { RedisKeys } from '@scanner/redis-keys';
import type { TaskSettings } from '../config.js';
import type { MarketDataSource } from '../sources/market-data-source.js';
import type { TaskResult } from './task-result.js';

/** Everything a task may need; each task declares the part it uses (Pick), so tests pass only that. */
export interface TaskContext {
  readonly pool: pg.Pool;
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly source: MarketDataSource;
  readonly calendar: TradingCalendar;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: TaskSettings;
  /** Keys per Redis transaction / members per SADD. */
  readonly redisChunkSize: number;
  /** Unique per run: names temporary Redis keys. */
  readonly runToken: string;
}

export type Task<D = TaskContext> = (deps: D, date: IsoDate) => Promise<TaskResult>;
