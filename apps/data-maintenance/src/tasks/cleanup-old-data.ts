import type { IsoDate } from '@scanner/market-calendar';
import { rvolWindow } from '../core/rvol-averages.js';
import { dropExpiredPartitions } from '../db/volume-slot-partitions.js';
import type { TaskContext } from './task-context.js';
import { type TaskResult, completed } from './task-result.js';

export type CleanupOldDataDeps = Pick<TaskContext, 'pool' | 'calendar' | 'settings'>;

/**
 * The weekly cleanup: DROPs whole volume_slots partitions older than the retention (never a row-by-row
 * DELETE). The RVOL window of the last session is protected whatever the retention says, so a short
 * retention can never starve the next averages.
 */
export async function cleanupOldData(deps: CleanupOldDataDeps, today: IsoDate): Promise<TaskResult> {
  const lastSession = deps.calendar.tradingDayOnOrBefore(today);
  const protect = rvolWindow(deps.calendar, lastSession, deps.settings.rvolSessions).sessions;
  const result = await dropExpiredPartitions(deps.pool, { today, retentionDays: deps.settings.retentionDays, protect });
  return completed({
    counts: { dropped: result.dropped.length, kept: result.kept },
    details: { cutoff: result.cutoff, retention_days: deps.settings.retentionDays, dropped: result.dropped, protected: protect },
  });
}
