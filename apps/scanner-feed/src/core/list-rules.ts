import type { ScannerList } from '@scanner/shared-types';
import type { TickerQuote } from './ticker-quote.js';

/** How one list picks and orders its rows: `score` descending, ties by symbol so a ranking is repeatable. */
export interface ListRule {
  readonly qualifies: (q: TickerQuote) => boolean;
  readonly score: (q: TickerQuote) => number;
}

/** Gaps and reversals smaller than this are noise, not a setup a trader scans for. */
export const GAP_THRESHOLD_PERCENT = 2;
export const REVERSAL_THRESHOLD_PERCENT = 2;
/** Three times the usual volume for the time of day. */
export const ANOMALY_RVOL = 3;
/** Within half a percent of the day's extreme counts as making a new one. */
const EXTREME_BAND = 0.005;

const traded = (q: TickerQuote): boolean => q.volume > 0;

export const LIST_RULES: Readonly<Record<ScannerList, ListRule>> = {
  winners: { qualifies: (q) => traded(q) && q.change_percent > 0, score: (q) => q.change_percent },
  losers: { qualifies: (q) => traded(q) && q.change_percent < 0, score: (q) => -q.change_percent },
  gappers_up: { qualifies: (q) => traded(q) && q.gap_percent >= GAP_THRESHOLD_PERCENT, score: (q) => q.gap_percent },
  gappers_down: { qualifies: (q) => traded(q) && q.gap_percent <= -GAP_THRESHOLD_PERCENT, score: (q) => -q.gap_percent },
  momentum_up: { qualifies: (q) => traded(q) && q.momentum_percent > 0, score: (q) => q.momentum_percent },
  momentum_down: { qualifies: (q) => traded(q) && q.momentum_percent < 0, score: (q) => -q.momentum_percent },
  new_highs: {
    qualifies: (q) => traded(q) && q.change_percent > 0 && q.price >= q.day_high * (1 - EXTREME_BAND),
    score: (q) => q.change_percent,
  },
  new_lows: {
    qualifies: (q) => traded(q) && q.change_percent < 0 && q.price <= q.day_low * (1 + EXTREME_BAND),
    score: (q) => -q.change_percent,
  },
  high_volume: { qualifies: traded, score: (q) => q.volume },
  anomalies: { qualifies: (q) => traded(q) && q.rvol >= ANOMALY_RVOL, score: (q) => q.rvol },
  reversals: {
    qualifies: (q) =>
      traded(q) &&
      ((q.gap_percent >= GAP_THRESHOLD_PERCENT && q.change_from_open_percent <= -REVERSAL_THRESHOLD_PERCENT) ||
        (q.gap_percent <= -GAP_THRESHOLD_PERCENT && q.change_from_open_percent >= REVERSAL_THRESHOLD_PERCENT)),
    score: (q) => Math.abs(q.change_from_open_percent),
  },
};
