import type { IsoDate } from '@scanner/market-calendar';
import { replaceDailyBars } from '../db/market-data-daily.js';
import { SourceError } from '../sources/market-data-source.js';
import { countOf, screenDailyBars } from './screen-daily-bars.js';
import type { TaskContext } from './task-context.js';
import { type TaskResult, completed, errorInfo, failed } from './task-result.js';

export type LoadOhlcDeps = Pick<TaskContext, 'pool' | 'source' | 'calendar'>;

/**
 * The session's daily bars for every ticker into market_data_daily (the date's rows replaced in one
 * transaction), then the previous session's again: a bar taken at 17:00 lacks that evening's
 * post-market, which the source has by the next day.
 */
export async function loadOhlc(deps: LoadOhlcDeps, date: IsoDate): Promise<TaskResult> {
  const day = await loadDay(deps, date);
  if (!day.ok) return failed(day.reason, { counts: day.counts, skipped: day.rejected });

  const previous = deps.calendar.previousTradingDay(date);
  const prev = await loadDay(deps, previous);
  const counts = {
    loaded: day.counts.loaded,
    skipped: day.counts.skipped,
    previous_session_loaded: prev.ok ? prev.counts.loaded : 0,
    previous_session_skipped: prev.counts.skipped,
  };
  const details = { previous_session: previous, source: deps.source.name };
  if (!prev.ok) {
    if (prev.notFound) {
      // The source has no such day (a flat-file set starting at `date`): nothing to refresh, nothing lost.
      return completed({ counts, skipped: day.rejected, details: { ...details, previous_session_refresh: prev.reason } });
    }
    return failed(`${date} loaded, but refreshing ${previous} failed: ${prev.reason}`, { counts, skipped: day.rejected, details });
  }
  return completed({ counts, skipped: day.rejected, details: { ...details, previous_session_refresh: 'replaced' } });
}

type DayLoad =
  | { ok: true; counts: { loaded: number; skipped: number }; rejected: Record<string, string[]> }
  | { ok: false; notFound: boolean; reason: string; counts: { loaded: number; skipped: number }; rejected: Record<string, string[]> };

async function loadDay(deps: LoadOhlcDeps, date: IsoDate): Promise<DayLoad> {
  let bars;
  try {
    bars = await deps.source.dailyBars(date);
  } catch (error) {
    const { code, message } = errorInfo(error);
    const reason = `the ${deps.source.name} source could not give the ${date} bars: ${code}: ${message}`;
    return { ok: false, notFound: error instanceof SourceError && code === 'NOT_FOUND', reason, counts: { loaded: 0, skipped: 0 }, rejected: {} };
  }
  const { valid, rejected } = screenDailyBars(date, bars);
  const skippedCount = countOf(rejected);
  if (valid.length === 0) {
    // A trading day with no usable bar is missing data, never "nothing to do"; the date's rows are kept.
    const reason = `the ${deps.source.name} source returned ${bars.length} bars for trading day ${date}, none usable`;
    return { ok: false, notFound: false, reason, counts: { loaded: 0, skipped: skippedCount }, rejected };
  }
  const written = await replaceDailyBars(deps.pool, date, valid);
  return { ok: true, counts: { loaded: written.inserted, skipped: skippedCount }, rejected };
}
