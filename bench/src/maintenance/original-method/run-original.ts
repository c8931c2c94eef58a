import type { IsoDate } from '@scanner/market-calendar';
import { startRssSampler } from '../../report/rss-sampler.js';
import type { TaskMeasurement } from '../measurement.js';
import { timedSource } from '../timed-source.js';
import { originalAutoRecover } from './auto-recover.js';
import { originalCalculateAtr } from './calculate-atr.js';
import { originalCalculateRvolAverages } from './calculate-rvol-averages.js';
import { originalEnrichMetadata } from './enrich-metadata.js';
import { originalLoadOhlc } from './load-ohlc.js';
import { originalLoadVolumeSlots } from './load-volume-slots.js';
import type { OriginalContext, OriginalTask } from './original-context.js';
import { originalSyncRedis } from './sync-redis.js';

/** The seed's seven tasks, in its order, under the names of the app's tasks they correspond to. */
export const ORIGINAL_TASKS: ReadonlyArray<readonly [string, OriginalTask]> = [
  ['load_ohlc', originalLoadOhlc],
  ['load_volume_slots', originalLoadVolumeSlots],
  ['calculate_atr', originalCalculateAtr],
  ['calculate_rvol_averages', originalCalculateRvolAverages],
  ['enrich_metadata', originalEnrichMetadata],
  ['auto_recover_missing_tickers', originalAutoRecover],
  ['sync_redis', originalSyncRedis],
];

export interface OriginalRun {
  readonly totalSeconds: number;
  readonly tasks: readonly TaskMeasurement[];
  readonly extra: Readonly<Record<string, number>>;
}

/** The tasks one after the other (the seed's orchestrator), each timed and its RSS sampled. */
export async function runOriginal(original: OriginalContext, date: IsoDate): Promise<OriginalRun> {
  const source = timedSource(original.source);
  const context: OriginalContext = { ...original, source: source.source };
  const tasks: TaskMeasurement[] = [];
  let extra: Record<string, number> = {};
  for (const [name, task] of ORIGINAL_TASKS) {
    const rss = startRssSampler();
    const sourceBefore = source.seconds();
    const began = performance.now();
    let peakRssBytes = 0;
    let outcome;
    try {
      outcome = await task(context, date);
    } finally {
      peakRssBytes = rss.stop();
    }
    const seconds = outcome.seconds ?? (performance.now() - began) / 1000;
    tasks.push({ task: name, status: 'completed', seconds, sourceSeconds: source.seconds() - sourceBefore, peakRssBytes, rows: outcome.rows, keys: outcome.keys });
    extra = { ...extra, ...outcome.extra };
  }
  // The total is the sum of the tasks: a sampled task's time is its extrapolation, not its wall time.
  return { totalSeconds: tasks.reduce((sum, t) => sum + t.seconds, 0), tasks, extra };
}
