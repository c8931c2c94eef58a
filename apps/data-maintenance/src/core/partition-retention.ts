import { addCalendarDays, isValidIsoDate, type IsoDate } from '@scanner/market-calendar';
import { CoreError } from './core-error.js';

/** A `volume_slots` partition (or TimescaleDB chunk) holding the dates `[from, to)`. */
export interface DatePartition {
  readonly name: string;
  readonly from: IsoDate;
  /** Exclusive. */
  readonly to: IsoDate;
}

export interface RetentionInput {
  readonly partitions: readonly DatePartition[];
  /** The New York date the cleanup runs on. */
  readonly today: IsoDate;
  /** Calendar days of data to keep: dates on or after `today - retentionDays` survive. */
  readonly retentionDays: number;
  /** Dates that must survive whatever the retention says (e.g. the RVOL window of the last cycle). */
  readonly protect?: readonly IsoDate[];
}

export interface RetentionPlan {
  /** The first date kept. */
  readonly cutoff: IsoDate;
  /** Partitions entirely before the cutoff and holding no protected date, oldest first. */
  readonly drop: readonly DatePartition[];
  /** Every other partition, oldest first. */
  readonly keep: readonly DatePartition[];
}

/**
 * Which partitions the weekly cleanup drops. A partition goes only when every date it can hold is
 * before the cutoff, so a multi-day partition straddling the cutoff is kept whole.
 */
export function planPartitionRetention(input: RetentionInput): RetentionPlan {
  if (!isValidIsoDate(input.today)) {
    throw new CoreError('INVALID_ARGUMENT', `today must be a YYYY-MM-DD date, got ${JSON.stringify(input.today)}`);
  }
  if (!Number.isInteger(input.retentionDays) || input.retentionDays < 1) {
    throw new CoreError('INVALID_ARGUMENT', `retentionDays must be a positive integer, got ${input.retentionDays}`);
  }
  const cutoff = addCalendarDays(input.today, -input.retentionDays);
  const protect = input.protect ?? [];
  const sorted = [...input.partitions].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const drop: DatePartition[] = [];
  const keep: DatePartition[] = [];
  for (const partition of sorted) {
    const old = partition.to <= cutoff;
    const holdsProtected = protect.some((d) => d >= partition.from && d < partition.to);
    (old && !holdsProtected ? drop : keep).push(partition);
  }
  return { cutoff, drop, keep };
}
