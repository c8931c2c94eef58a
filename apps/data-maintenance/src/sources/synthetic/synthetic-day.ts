import { FULL_DAY_SLOTS, SLOT_MINUTES, type SessionTimes } from '@scanner/market-calendar';
import type { DailyBar, IntradayBar } from '../market-data-source.js';
import { normal, uniform } from './hash.js';
import { closeLogPrice, openLogPrice, roundPrice } from './price-path.js';
import type { TickerProfile } from './ticker-profile.js';
import { postMarketWeight, preMarketWeight, regularSessionWeight, segmentShares } from './volume-profile.js';

/**
 * One ticker's session: five-minute bars from the pre-market open (04:00) to the post-market close
 * (20:00, or 17:00 on an early-close day), and the daily bar derived from them.
 *
 * The log price walks a Brownian bridge inside each segment, pinned at the segment ends: the
 * previous close at 04:00, the day's open at 09:30, the day's close at the regular close and an
 * after-hours drift at the end. So the regular session opens and closes exactly at the day's anchors.
 *
 * The daily bar follows the bars: open = the first regular-session bar's open (09:30), close = the
 * last regular-session bar's close, high/low = extremes over every bar including extended hours,
 * volume = the sum of every bar, vwap = volume-weighted typical price, trades = sum of bar trades.
 */

export interface SyntheticDay {
  readonly daily: DailyBar;
  readonly bars: IntradayBar[];
}

const SLOT_MS = SLOT_MINUTES * 60_000;
const Salt = { Bridge: 21, PostDrift: 22, WickHigh: 23, WickLow: 24, Empty: 25, BarVolume: 26, DayVolume: 27 } as const;

/** Scale of each segment's random walk, in daily volatilities (the regular session carries most). */
const PRE_SCALE = 0.25;
const REGULAR_SCALE = 0.5;
const POST_SCALE = 0.15;
const WICK_SCALE = 0.08;
/** Early-close sessions trade about 60% of a normal day's volume. */
const EARLY_CLOSE_VOLUME = 0.6;

/** Log-price points at a segment's bar boundaries: `n + 1` values from `from` to `to`. */
function bridge(key: number, dayNumber: number, segment: number, n: number, from: number, to: number, scale: number): number[] {
  const walk = [0];
  let w = 0;
  const step = scale / Math.sqrt(n);
  for (let j = 1; j <= n; j++) {
    w += step * normal(key, Salt.Bridge, dayNumber, segment * 1000 + j);
    walk.push(w);
  }
  const end = walk[n] as number;
  return walk.map((wj, j) => from + ((to - from) * j) / n + wj - (end * j) / n);
}

export function syntheticDay(
  profile: TickerProfile,
  session: SessionTimes,
  dayNumber: number,
  previousDayNumber: number,
): SyntheticDay {
  const { key, dailyVolatility: sigma } = profile;
  const preOpen = session.preMarketOpen.getTime();
  const preBars = (session.marketOpen.getTime() - preOpen) / SLOT_MS;
  const regularBars = session.slotCount;
  const postBars = (session.postMarketClose.getTime() - session.marketClose.getTime()) / SLOT_MS;

  const previousClose = closeLogPrice(profile, previousDayNumber);
  const open = openLogPrice(profile, dayNumber, previousClose);
  const close = closeLogPrice(profile, dayNumber);
  const afterHours = close + POST_SCALE * sigma * normal(key, Salt.PostDrift, dayNumber);

  const path = [
    ...bridge(key, dayNumber, 0, preBars, previousClose, open, PRE_SCALE * sigma),
    ...bridge(key, dayNumber, 1, regularBars, open, close, REGULAR_SCALE * sigma * Math.sqrt(regularBars / FULL_DAY_SLOTS)).slice(1),
    ...bridge(key, dayNumber, 2, postBars, close, afterHours, POST_SCALE * sigma).slice(1),
  ];

  const dayReturn = Math.abs(close - previousClose) / sigma;
  const dayVolume =
    profile.averageDailyVolume *
    Math.exp(0.3 * normal(key, Salt.DayVolume, dayNumber) - 0.045) *
    (1 + Math.min(2, 0.5 * dayReturn)) *
    (session.earlyClose ? EARLY_CLOSE_VOLUME : 1);
  const regularShare = 1 - profile.preMarketShare - profile.postMarketShare;
  const shares = [
    ...segmentShares(preBars, preMarketWeight).map((s) => s * profile.preMarketShare),
    ...segmentShares(regularBars, regularSessionWeight).map((s) => s * regularShare),
    ...segmentShares(postBars, postMarketWeight).map((s) => s * profile.postMarketShare),
  ];

  const bars: IntradayBar[] = [];
  let trades = 0;
  let notional = 0;
  for (let i = 0; i < shares.length; i++) {
    const regular = i >= preBars && i < preBars + regularBars;
    // The opening and closing prints always exist; other bars can be empty on a thin ticker.
    const auction = i === preBars || i === preBars + regularBars - 1;
    const emptyChance = regular ? profile.emptyExtendedBarChance / 10 : profile.emptyExtendedBarChance;
    if (!auction && uniform(key, Salt.Empty, dayNumber, i) < emptyChance) continue;
    const volume = Math.round(dayVolume * (shares[i] as number) * Math.exp(0.35 * normal(key, Salt.BarVolume, dayNumber, i) - 0.06125));
    if (volume <= 0 && !auction) continue;
    const o = roundPrice(Math.exp(path[i] as number));
    const c = roundPrice(Math.exp(path[i + 1] as number));
    const h = roundPrice(Math.max(o, c) * Math.exp(WICK_SCALE * sigma * Math.abs(normal(key, Salt.WickHigh, dayNumber, i))));
    const l = roundPrice(Math.min(o, c) * Math.exp(-WICK_SCALE * sigma * Math.abs(normal(key, Salt.WickLow, dayNumber, i))));
    const v = Math.max(1, volume);
    bars.push({ startMs: preOpen + i * SLOT_MS, open: o, high: h, low: l, close: c, volume: v });
    trades += Math.max(1, Math.round(v / profile.averageTradeSize));
    notional += (v * (h + l + c)) / 3;
  }
  return { daily: dailyBarOf(profile.symbol, session, bars, trades, notional), bars };
}

function dailyBarOf(symbol: string, session: SessionTimes, bars: readonly IntradayBar[], trades: number, notional: number): DailyBar {
  const marketOpen = session.marketOpen.getTime();
  const marketClose = session.marketClose.getTime();
  const regular = bars.filter((b) => b.startMs >= marketOpen && b.startMs < marketClose);
  const first = regular[0];
  const last = regular[regular.length - 1];
  if (!first || !last) throw new Error(`synthetic ${symbol} ${session.date}: no regular-session bar (the auction bars are always generated)`);
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  for (const bar of bars) {
    high = Math.max(high, bar.high);
    low = Math.min(low, bar.low);
    volume += bar.volume;
  }
  return {
    symbol,
    date: session.date,
    open: first.open,
    high,
    low,
    close: last.close,
    volume,
    vwap: Math.round((notional / volume) * 10_000) / 10_000,
    trades,
  };
}
