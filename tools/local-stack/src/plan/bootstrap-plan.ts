import { type IsoDate, type TradingCalendar, newYorkDateOf } from '@scanner/market-calendar';

/**
 * Whether the first start must load history, and which sessions. The scanner's per-ticker caches need
 * ATR(period) (period + 1 daily bars before a symbol has one; Wilder's smoothing then needs about as
 * many again before the seed stops dominating) and the RVOL baseline (the last N full sessions, early
 * closes passed over). The maintenance service's own catch-up only looks back CATCH_UP_SESSIONS (10):
 * too few for the ATR, and a window shorter than it would leave the service loading older sessions
 * after the newer ones at its first start.
 */

export interface HistoryNeeds {
  readonly atrPeriod: number;
  readonly rvolSessions: number;
  readonly catchUpSessions: number;
}

/** Sessions loaded by default: two ATR windows, the RVOL window plus early-close slack, the catch-up window. */
export function defaultBootstrapSessions(needs: HistoryNeeds): number {
  return Math.max(2 * (needs.atrPeriod + 1), needs.rvolSessions + 3, needs.catchUpSessions);
}

/** The latest session whose regular market has closed at `now` (the maintenance CLI's default date). */
export function lastClosedSession(calendar: TradingCalendar, now: Date): IsoDate {
  const today = calendar.tradingDayOnOrBefore(newYorkDateOf(now));
  return calendar.session(today).marketClose.getTime() <= now.getTime() ? today : calendar.previousTradingDay(today);
}

export interface BootstrapWindow {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly sessions: number;
}

/** The `sessions` trading days ending at the last closed session, oldest first. */
export function bootstrapWindow(calendar: TradingCalendar, now: Date, sessions: number): BootstrapWindow {
  if (!Number.isInteger(sessions) || sessions < 1) throw new RangeError(`sessions must be a whole number >= 1, got ${sessions}`);
  const to = lastClosedSession(calendar, now);
  let from = to;
  for (let i = 1; i < sessions; i += 1) from = calendar.previousTradingDay(from);
  return { from, to, sessions };
}

/** The ledger's word on the window's newest session, from `maintenance status --date <to>`. */
export interface LedgerProbe {
  readonly date: IsoDate;
  /** The latest run's status, null when the date was never run. */
  readonly latestRunStatus: string | null;
}

export type BootstrapDecision =
  | { readonly action: 'reuse'; readonly reason: string }
  | { readonly action: 'bootstrap'; readonly reason: string; readonly window: BootstrapWindow };

/**
 * Reuse when the newest session of the window completed: the history was loaded before (and the
 * service's catch-up keeps it current). Otherwise load the window; the backfill itself skips the
 * sessions already complete, so a database that is only behind is topped up, not reloaded.
 */
export function decideBootstrap(window: BootstrapWindow, probe: LedgerProbe): BootstrapDecision {
  if (probe.date === window.to && probe.latestRunStatus === 'completed') {
    return { action: 'reuse', reason: `the session of ${window.to} is already loaded` };
  }
  const reason =
    probe.latestRunStatus === null ? `no run of ${window.to} in the ledger` : `the latest run of ${window.to} is ${probe.latestRunStatus}`;
  return { action: 'bootstrap', reason, window };
}
