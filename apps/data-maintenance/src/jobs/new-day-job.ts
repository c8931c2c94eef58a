import { type IsoDate, type TradingCalendar, newYorkOffsetMs, newYorkWallTime } from '@scanner/market-calendar';
import { encodeNewDayEvent, newDayEvent } from '@scanner/redis-keys';
import type { NewDayConfig } from '../config.js';
import { announcedTradingDay } from '../core/announced-trading-day.js';
import type { CycleDeps } from '../cycle/run-cycle.js';
import { completedJobDates, finishJobRun, startJobRun } from '../db/job-runs.js';
import { type ClearCacheNotice, notifyClearCache } from '../http/clear-cache-client.js';
import { announceNewDay } from '../redis/announce-new-day.js';
import { scanKeys, unlinkKeys } from '../redis/scan-keys.js';
import { errorInfo } from '../tasks/task-result.js';

export interface NewDayJobDeps extends Pick<CycleDeps, 'pool' | 'redis' | 'keys' | 'clock' | 'calendar' | 'logger' | 'redisChunkSize'> {
  readonly newDay: NewDayConfig;
  /** NEW_DAY_TIME, minutes after New York midnight: decides which day is announced (announcedTradingDay). */
  readonly newDayMinute: number;
}

export interface NewDayRequest {
  readonly date: IsoDate;
  /** Recorded in the job ledger: schedule, catch_up, cli, http. */
  readonly trigger: string;
}

export interface NewDayOutcome {
  readonly date: IsoDate;
  readonly jobRunId: number;
  /** false: trading:current_day already held this day or a later one, so nothing was published. */
  readonly published: boolean;
  /** trading:current_day before this run (null when absent). */
  readonly previousDay: IsoDate | null;
  /** Subscribers of trading:new_day the message reached. */
  readonly receivers: number;
  /** Keys of the configured day-cache patterns unlinked. */
  readonly keysDeleted: number;
  /** The HTTP fallback to the WebSocket server; its failure never fails the job. */
  readonly websocket: ClearCacheNotice;
}

export type NewDayErrorCode = 'NOT_A_TRADING_DAY' | 'NOT_CURRENT_DAY';

export class NewDayError extends Error {
  override readonly name = 'NewDayError';
  constructor(
    readonly code: NewDayErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Why `date` may not be announced at `now`, or null when it may: only a trading day, and only the one
 * whose announcement time is the latest to have passed. A past day never (clients would drop today's
 * rows for yesterday's), nor a future one.
 */
export function newDayDateProblem(calendar: TradingCalendar, now: Date, newDayMinute: number, date: IsoDate): NewDayError | null {
  const day = calendar.describe(date);
  if (!day.isTradingDay) {
    return new NewDayError('NOT_A_TRADING_DAY', `${date} is not a trading day (${day.closure?.reason ?? 'market closed'}); there is no new day to announce`);
  }
  const current = announcedTradingDay(calendar, now, newDayMinute);
  if (date !== current) {
    return new NewDayError('NOT_CURRENT_DAY', `${date} is not the trading day to announce now (${current}); only the current day is ever published`);
  }
  return null;
}

/**
 * The 03:00 new-day job (the seed's cache-clear scheduler and `clear_realtime_caches`): sets
 * `trading:current_day` and publishes `trading:new_day` in one step unless the day is already current,
 * unlinks the configured day-cache patterns, and POSTs the WebSocket server's clear-cache route as a
 * fallback. The caller holds the new-day lock. Every run is a maintenance_job_runs row: completed, or
 * failed with the error (rethrown) when Redis or PostgreSQL fail. A refused date records nothing.
 */
export async function runNewDayJob(deps: NewDayJobDeps, request: NewDayRequest): Promise<NewDayOutcome> {
  const { date, trigger } = request;
  const startedAt = deps.clock.now();
  const problem = newDayDateProblem(deps.calendar, startedAt, deps.newDayMinute, date);
  if (problem) throw problem;

  // `date` is bound once: pino would repeat a key given both here and in an event.
  let log = deps.logger.child({ job: 'new_day', date });
  log.info({ event: 'cache_clear_time_detected', new_york_time: wallTimeLabel(startedAt), trigger }, 'new trading day due');
  const alreadyCompleted = (await completedJobDates(deps.pool, 'new_day', [date])).has(date);
  const run = await startJobRun(deps.pool, { job: 'new_day', date, trigger, startedAt });
  log = log.child({ job_run_id: run.id });
  try {
    log.info({ event: 'clear_caches_task_starting', target_date: date }, 'announcing the new trading day');
    const payload = encodeNewDayEvent(newDayEvent(date, deps.clock.now()));
    const announcement = await announceNewDay(deps.redis, deps.keys, date, payload);
    const channel = deps.keys.newDayChannel;
    if (announcement.published) {
      log.info({ event: 'new_day_event_published', channel, receivers: announcement.receivers, previous_day: announcement.previousDay }, 'new day published');
    } else {
      log.info({ event: 'new_day_already_announced', channel, current_day: announcement.previousDay }, 'the day was already current: not published again');
    }

    // A run that died after publishing left the caches and the fallback undone: a re-run of the same day
    // does them. Once a run of the day has completed they are not redone, since the new day's services
    // may have written those caches since (an operator's `new-day` at 10:00 must not wipe them).
    const followUp = announcement.published || (announcement.previousDay === date && !alreadyCompleted);
    const keysDeleted = followUp ? await clearDayCaches(deps) : 0;
    log.info({ event: 'redis_day_caches_cleared', count: keysDeleted, patterns: deps.newDay.clearPatterns, done: followUp }, 'day caches cleared');

    const websocket = followUp
      ? await notifyClearCache({ url: deps.newDay.clearCacheUrl, token: deps.newDay.clearCacheToken, date, timeoutMs: deps.newDay.clearCacheTimeoutMs })
      : { status: 'skipped' as const, detail: 'the day was already announced by a completed run' };
    if (websocket.status === 'failed') {
      log.warn({ event: 'websocket_notification_failed', detail: websocket.detail, note: 'Service should receive pub/sub event instead' }, 'clear-cache fallback failed');
    } else {
      log.info({ event: websocket.status === 'ok' ? 'websocket_notified' : 'websocket_notification_skipped', detail: websocket.detail }, 'clear-cache fallback');
    }

    const outcome: NewDayOutcome = { date, jobRunId: run.id, ...announcement, keysDeleted, websocket };
    const summary = { services_notified: (announcement.published ? 1 : 0) + (websocket.status === 'ok' ? 1 : 0), caches_cleared: keysDeleted };
    log.info({ event: 'clear_caches_task_completed', ...summary }, 'new-day tasks done');
    const result = { ...announcement, keysDeleted, websocket };
    await finishJobRun(deps.pool, run.id, { status: 'completed', finishedAt: deps.clock.now(), result, error: null });
    log.info({ event: 'cache_clear_executed_successfully', published: announcement.published, ...summary }, 'new trading day done');
    return outcome;
  } catch (error) {
    const { code, message } = errorInfo(error);
    log.error({ event: 'cache_clear_failed', code, error: message }, 'new-day job failed');
    await finishJobRun(deps.pool, run.id, { status: 'failed', finishedAt: deps.clock.now(), result: null, error: `${code}: ${message}` }).catch(
      (ledgerError: unknown) => log.error({ event: 'job_ledger_write_failed', ...errorInfo(ledgerError) }, 'could not record the failed new-day run'),
    );
    throw error;
  }
}

/**
 * UNLINKs every key of the configured patterns (relative to the prefix). The keys that coordinate the
 * service itself are never deleted, whatever a pattern matches: losing trading:current_day would let the
 * day be published again, losing a lock would let a second runner in.
 */
async function clearDayCaches(deps: NewDayJobDeps): Promise<number> {
  const protectedKeys = new Set([deps.keys.tradingCurrentDay, deps.keys.maintenanceLock, deps.keys.maintenanceNewDayLock]);
  let deleted = 0;
  for (const pattern of deps.newDay.clearPatterns) {
    const found = (await scanKeys(deps.redis, `${deps.keys.prefix}${pattern}`)).filter((key) => !protectedKeys.has(key));
    deleted += await unlinkKeys(deps.redis, found, deps.redisChunkSize);
  }
  return deleted;
}

/** "03:00 EST": the seed's `time` field (renamed: pino's own `time` is the log line's timestamp). */
function wallTimeLabel(at: Date): string {
  const wall = newYorkWallTime(at);
  const zone = newYorkOffsetMs(at.getTime()) === -5 * 3_600_000 ? 'EST' : 'EDT';
  return `${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')} ${zone}`;
}
