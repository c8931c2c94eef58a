import type { IsoDate } from '@scanner/market-calendar';
import { z } from 'zod';
import { instantSchema, isoDateSchema } from './field-schemas.js';
import type { DecodeError, Result } from './result.js';
import { validateWith } from './validate-with.js';

/** The daily cycle's tasks, in the order they run (DESIGN 5.2). */
export const MAINTENANCE_TASKS = [
  'load_ohlc',
  'load_volume_slots',
  'calculate_atr',
  'calculate_rvol_averages',
  'enrich_metadata',
  'auto_recover_missing_tickers',
  'sync_redis',
] as const;

export type MaintenanceTaskName = (typeof MAINTENANCE_TASKS)[number];

/** `interrupted`: the process died while the task ran; `skipped`: an input it needs failed. */
export const MAINTENANCE_TASK_STATUSES = ['running', 'completed', 'failed', 'skipped', 'interrupted'] as const;

export type MaintenanceTaskStatus = (typeof MAINTENANCE_TASK_STATUSES)[number];

/** A task's status plus whatever counts the task reports (rows loaded, symbols failed, ...). */
export interface MaintenanceTaskResult {
  readonly status: MaintenanceTaskStatus;
  readonly [field: string]: unknown;
}

/** The `maintenance:status:<date>` record: one day's cycle, written as it progresses. */
export interface MaintenanceStatusRecord {
  readonly date: IsoDate;
  readonly started_at: string;
  /** null while the cycle runs. */
  readonly completed_at: string | null;
  /** null while the cycle runs. */
  readonly duration_seconds: number | null;
  readonly all_success: boolean;
  /** Tasks not reached yet are absent. */
  readonly tasks: Partial<Record<MaintenanceTaskName, MaintenanceTaskResult>>;
}

export const maintenanceStatusSchema = z
  .object({
    date: isoDateSchema,
    started_at: instantSchema,
    completed_at: instantSchema.nullable(),
    duration_seconds: z.number().nonnegative().nullable(),
    all_success: z.boolean(),
    tasks: z.partialRecord(z.enum(MAINTENANCE_TASKS), z.looseObject({ status: z.enum(MAINTENANCE_TASK_STATUSES) })),
  })
  .refine((r) => (r.completed_at === null) === (r.duration_seconds === null), {
    path: ['duration_seconds'],
    error: 'completed_at and duration_seconds are both null (running) or both set (finished)',
  });

export function validateMaintenanceStatus(
  value: unknown,
): Result<MaintenanceStatusRecord, DecodeError<'INVALID_STATUS'>> {
  return validateWith(maintenanceStatusSchema, value, 'INVALID_STATUS');
}
