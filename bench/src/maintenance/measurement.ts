import type { ProfileSummary } from '../ws/cpu-profile.js';

/** What a measured run reports back to the orchestrating process (one JSON line from the child). */

export const VARIANTS = ['cycle-synthetic', 'original', 'floors', 'cycle-polygon', 'cycle-flatfiles'] as const;
export type Variant = (typeof VARIANTS)[number];

/**
 * The tasks that call the data source. The other four read only what these stored, so they cost the
 * same whatever the source: the synthetic run measures the whole cycle, the other sources these three.
 */
export const SOURCE_TASKS = ['load_ohlc', 'load_volume_slots', 'enrich_metadata'] as const;

export interface TaskMeasurement {
  readonly task: string;
  readonly status: string;
  readonly seconds: number;
  /** Of which waiting on the market data source (generating, HTTP, reading files). */
  readonly sourceSeconds: number;
  /** Highest RSS sampled (every 20 ms) while the task ran, in bytes. */
  readonly peakRssBytes: number;
  /** Rows the task wrote to PostgreSQL (inserted, updated or replaced). */
  readonly rows: number;
  /** Redis keys the task wrote or deleted. */
  readonly keys: number;
  /** Only on an unmeasured profiling run: the task's CPU profile (idle = waiting on PostgreSQL, Redis, I/O). */
  readonly profile?: ProfileSummary;
}

export interface RunMeasurement {
  readonly variant: Variant;
  /** Wall time of the whole run, as the caller of the cycle sees it (ledger and status writes included). */
  readonly totalSeconds: number;
  /** The child process's high-water RSS (getrusage), in bytes. */
  readonly maxRssBytes: number;
  readonly tasks: readonly TaskMeasurement[];
  /** Variant-specific numbers (request counts, sample timings, ...). */
  readonly extra: Readonly<Record<string, number>>;
  /** Only on an unmeasured profiling run of the floors: replaceVolumeSlots' CPU profile. */
  readonly profile?: ProfileSummary;
}
