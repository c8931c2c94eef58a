import type { IsoDate } from '@scanner/market-calendar';
import { atrOnDate } from '../core/atr.js';
import { type AtrRow, replaceAtr } from '../db/atr-daily.js';
import { loadDailyHistory } from '../db/market-data-daily.js';
import { replaceHashes } from '../redis/replace-keys.js';
import { atrEntries } from './cache-entries.js';
import { type RedisTargetDeps, redisDetails, redisTarget } from './redis-target.js';
import type { TaskContext } from './task-context.js';
import { type SymbolFailure, type TaskResult, completed, describeFailures, errorInfo, failed } from './task-result.js';

export type CalculateAtrDeps = Pick<TaskContext, 'pool'> & RedisTargetDeps;

/**
 * ATR(period) with Wilder smoothing (TA-Lib convention, src/core/atr.ts) over up to `atrMaxSessions`
 * stored sessions, for every symbol with a bar that day, into atr_daily and atr:data:<SYM>. A symbol
 * with fewer than period + 1 bars has no ATR yet: it is skipped with that reason, which is not a failure.
 */
export async function calculateAtr(deps: CalculateAtrDeps, date: IsoDate): Promise<TaskResult> {
  const { atrPeriod, atrMaxSessions } = deps.settings;
  const history = await loadDailyHistory(deps.pool, {
    upTo: date,
    maxSessions: atrMaxSessions,
    onlyTradedOnUpTo: true,
    calendar: deps.calendar,
  });
  if (history.size === 0) return failed(`no daily bars stored for ${date}: load_ohlc has not loaded the session`);

  const rows: AtrRow[] = [];
  const failures: SymbolFailure[] = [];
  const insufficient: string[] = [];
  const zeroClose: string[] = [];
  for (const [symbol, bars] of history) {
    try {
      const outcome = atrOnDate(bars, date, atrPeriod);
      if (outcome.kind === 'ok') rows.push({ symbol, date, atr: outcome.atr, atrPercent: outcome.atrPercent });
      else if (outcome.kind === 'insufficient_history') insufficient.push(symbol);
      else if (outcome.kind === 'zero_close') zeroClose.push(symbol);
      else failures.push({ symbol, code: 'NO_BAR_ON_DATE', message: `no ${date} bar in the history read back` });
    } catch (error) {
      const { code, message } = errorInfo(error);
      failures.push({ symbol, code, message });
    }
  }

  await replaceAtr(deps.pool, date, rows);
  const target = await redisTarget(deps, date);
  let written = 0;
  if (target.write) {
    written = await replaceHashes(deps.redis, atrEntries(deps.keys, rows), target.options);
  }
  const parts = {
    counts: { symbols: history.size, computed: rows.length, failed: failures.length, insufficient_history: insufficient.length, zero_close: zeroClose.length },
    failures,
    skipped: { insufficient_history: insufficient, zero_close: zeroClose },
    details: { period: atrPeriod, max_sessions: atrMaxSessions, needed_bars: atrPeriod + 1, ...redisDetails(target, written) },
  };
  if (failures.length > 0) return failed(describeFailures('had no ATR', failures), parts);
  return completed(parts);
}
