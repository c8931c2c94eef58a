import type { IsoDate, TradingCalendar } from '@scanner/market-calendar';
import { BenchError } from '../report/bench-error.js';

/** What one invocation of the maintenance benchmark measures, and on how much data. */
export interface MaintenancePlan {
  readonly quick: boolean;
  /** Synthetic tickers (12,000 in production). */
  readonly universe: number;
  readonly seed: number;
  /** The session whose cycle is measured. */
  readonly target: IsoDate;
  /** The session before it: its cycle runs once, untimed, so the target run finds "yesterday's" state. */
  readonly setupSession: IsoDate;
  /** Daily bars loaded directly (COPY) before the setup cycle: the sessions before `setupSession`. */
  readonly dailyHistory: readonly IsoDate[];
  /** Sessions whose volume slots are loaded directly: what the setup and target RVOL windows read. */
  readonly slotHistory: readonly IsoDate[];
  readonly repetitions: number;
  /**
   * The original method's row-by-row slot insert runs on the first `sampleSymbols[0]` symbols, then on
   * the next `sampleSymbols[1]` (two sizes, to show the time is linear in rows), and is scaled to the
   * whole load; null: every row is inserted row by row (small universes).
   */
  readonly originalSlotSample: readonly [number, number] | null;
}

export const TARGET_SESSION: IsoDate = '2026-11-20';
export const SYNTHETIC_SEED = 7;
/** Sessions of daily bars stored before the target run (ATR_MAX_SESSIONS). */
export const HISTORY_SESSIONS = 100;
/** Full sessions averaged for RVOL (RVOL_LOOKBACK_SESSIONS). */
export const RVOL_SESSIONS = 5;

export function maintenancePlan(quick: boolean, calendar: TradingCalendar): MaintenancePlan {
  const universe = quick ? 300 : 12_000;
  const historySessions = quick ? 20 : HISTORY_SESSIONS;
  const target = TARGET_SESSION;
  const setupSession = calendar.previousTradingDay(target);
  // Sessions before the setup one: with the setup session, `historySessions` sessions precede the target.
  const dailyHistory = calendar.lastSessions(historySessions - 1, calendar.previousTradingDay(setupSession));
  // The setup cycle's RVOL window is the RVOL_SESSIONS sessions up to setupSession; it loads setupSession itself.
  const slotHistory = calendar.lastSessions(RVOL_SESSIONS - 1, calendar.previousTradingDay(setupSession));
  for (const date of [target, ...slotHistory]) {
    if (calendar.session(date).earlyClose) {
      throw new BenchError('INVALID_ARGUMENT', `${date} is an early-close session: the RVOL window would reach further back`);
    }
  }
  return {
    quick,
    universe,
    seed: SYNTHETIC_SEED,
    target,
    setupSession,
    dailyHistory,
    slotHistory,
    repetitions: quick ? 1 : 3,
    originalSlotSample: quick ? null : [300, 600],
  };
}
