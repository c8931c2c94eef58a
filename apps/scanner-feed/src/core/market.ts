import type { IsoDate, MarketSession, TradingCalendar } from '@scanner/market-calendar';
import { type MarketMoment, marketMomentOf } from './market-clock.js';
import { type Random, createRandom, seedState } from './random.js';
import { generateSymbols } from './ticker-symbols.js';
import { cumulativeVolumeShare, meanRegularIntensity, volumeIntensity } from './volume-profile.js';

/** What stays the same from day to day. */
export interface TickerProfile {
  readonly symbol: string;
  /** Standard deviation of the daily return (0.02 = 2 %); cheap stocks move more. */
  readonly volatility: number;
  /** Average full-day volume, in shares. */
  readonly avgVolume: number;
  /** Chance of trading in a 2-second tick at the regular session's mean pace; liquid names trade more. */
  readonly liquidity: number;
}

/** One ticker's day so far. Only a trade changes it, so a ticker that did not trade gives the same row. */
export interface TickerState {
  readonly profile: TickerProfile;
  readonly prevClose: number;
  readonly open: number;
  readonly price: number;
  readonly dayHigh: number;
  readonly dayLow: number;
  /** Cumulative volume today, pre-market included. */
  readonly volume: number;
  /** Today's pace against the average (news names run hot); RVOL drifts around it. */
  readonly activity: number;
  /** Today's drift of the log price over a whole day. */
  readonly drift: number;
  /** Volume against the average volume by this time of day, at the last trade. */
  readonly rvol: number;
  /** A slow average of the price (5-minute time constant); momentum is the distance from it. */
  readonly averagePrice: number;
  /** The market's `dayShare` at the last trade: volume and variance since then scale with its growth. */
  readonly shareAtTrade: number;
  /** Epoch ms of the last trade; 0 before the first. */
  readonly tradedAt: number;
  /** The calendar's session at the last trade. */
  readonly session: MarketSession;
}

/** The whole synthetic market: a plain value, advanced by `stepMarket`, never modified in place. */
export interface Market {
  readonly seed: number;
  readonly rngState: number;
  /** Epoch ms the market was created at: the start of the session played while the real one is closed. */
  readonly createdAt: number;
  /** Epoch ms of the last step. */
  readonly steppedAt: number;
  readonly sessionDate: IsoDate;
  /** Expected share of a day's volume traded so far today (past 1 once a replayed session wraps). */
  readonly dayShare: number;
  readonly tickers: readonly TickerState[];
}

export interface MarketOptions {
  readonly seed: number;
  readonly universeSize: number;
  readonly now: Date;
  readonly calendar: TradingCalendar;
}

const MIN_PRICE = 1;
const MAX_PRICE = 500;
/** A longer pause (a laptop asleep) is treated as this long, so one step never moves a whole day. */
const MAX_STEP_MS = 5 * 60_000;
const REFERENCE_TICK_SECONDS = 2;
const MOMENTUM_MINUTES = 5;

/** A universe of `universeSize` tickers as of `now`, mid-day included: volumes and ranges so far are filled in. */
export function createMarket(options: MarketOptions): Market {
  const { seed, universeSize, now, calendar } = options;
  const random = createRandom(seedState(seed));
  const profiles = generateSymbols(random, universeSize).map((symbol) => drawProfile(random, symbol));
  const moment = marketMomentOf(now, calendar, now);
  const dayShare = cumulativeVolumeShare(moment.profileMinute, moment.regularMinutes);
  const tickers = profiles.map((profile) => {
    const opened = openDay(random, profile, basePrice(random), dayShare);
    return dayShare > 0 ? catchUp(random, opened, dayShare, now.getTime(), moment.session) : opened;
  });
  return { seed, rngState: random.state(), createdAt: now.getTime(), steppedAt: now.getTime(), sessionDate: moment.sessionDate, dayShare, tickers };
}

/**
 * The market at `now`: a new trading day opens every ticker at its previous close plus a gap; then
 * each ticker trades with a chance that follows the intraday volume profile, and a trade moves its
 * price (a random walk in volume time, so prices move most at the open and close) and adds volume.
 */
export function stepMarket(market: Market, now: Date, calendar: TradingCalendar): Market {
  const nowMs = now.getTime();
  if (nowMs <= market.steppedAt) return market;
  const random = createRandom(market.rngState);
  const moment = marketMomentOf(now, calendar, new Date(market.createdAt));

  let tickers = market.tickers;
  let dayShare = market.dayShare;
  let from = market.steppedAt;
  if (moment.sessionDate !== market.sessionDate) {
    // The new day's trading starts at its pre-market open, not at the last step of the old one.
    from = Math.max(from, calendar.session(moment.sessionDate).preMarketOpen.getTime());
    dayShare = cumulativeVolumeShare(moment.profileMinute, moment.regularMinutes);
    tickers = tickers.map((t) => openDay(random, t.profile, t.price, dayShare));
  }
  const elapsedMs = Math.min(nowMs - from, MAX_STEP_MS);

  const intensity = volumeIntensity(moment.profileMinute, moment.regularMinutes);
  dayShare += intensity * (elapsedMs / 60_000);
  const pace = intensity / meanRegularIntensity(moment.regularMinutes);
  const tickFraction = (elapsedMs / 1000 / REFERENCE_TICK_SECONDS) * pace;

  const stepped = tickers.map((t) => {
    const tradeChance = 1 - (1 - t.profile.liquidity) ** tickFraction;
    return random.next() < tradeChance ? trade(random, t, dayShare, nowMs, moment) : t;
  });
  return { ...market, rngState: random.state(), steppedAt: nowMs, sessionDate: moment.sessionDate, dayShare, tickers: stepped };
}

function drawProfile(random: Random, symbol: string): TickerProfile {
  const cheapness = random.next();
  const volatility = 0.012 + 0.06 * cheapness ** 3 + Math.abs(random.normal()) * 0.004;
  const avgVolume = Math.round(clamp(Math.exp(Math.log(1_500_000) + 1.2 * random.normal()), 50_000, 150_000_000));
  const liquidity = clamp(0.25 + 0.2 * Math.log10(avgVolume / 100_000), 0.1, 0.95);
  return { symbol, volatility, avgVolume, liquidity };
}

/** Log-uniform in $1-$500, leaning to cheaper names as a real universe does. */
function basePrice(random: Random): number {
  return MIN_PRICE * Math.exp(Math.log(MAX_PRICE / MIN_PRICE) * random.next() ** 1.3);
}

/** A new day: most names open near their close, one in five has news and gaps hard, and runs hot. */
function openDay(random: Random, profile: TickerProfile, prevClose: number, dayShare: number): TickerState {
  const news = random.next() < 0.2;
  const gap = clamp(random.normal() * (news ? 0.07 : 0.008 + profile.volatility * 0.25), -0.6, 1.5);
  const open = prevClose * (1 + gap);
  const activity = clamp(Math.exp(0.45 * random.normal() - 0.1) * (1 + Math.abs(gap) * 40), 0.1, 30);
  return {
    profile,
    prevClose,
    open,
    price: open,
    dayHigh: open,
    dayLow: open,
    volume: 0,
    activity,
    drift: random.normal() * profile.volatility * 0.8,
    rvol: 0,
    averagePrice: open,
    shareAtTrade: dayShare,
    tradedAt: 0,
    session: 'CLOSED',
  };
}

/** A market created mid-day: the part of the day already gone, in one stroke, for the names that traded. */
function catchUp(random: Random, t: TickerState, dayShare: number, nowMs: number, session: MarketSession): TickerState {
  const share = Math.min(dayShare, 1);
  if (random.next() >= 1 - Math.exp(-share * 400 * t.profile.liquidity)) return t;
  const sigma = t.profile.volatility * Math.sqrt(Math.min(t.activity, 9));
  const price = t.open * Math.exp(t.drift * share + sigma * Math.sqrt(share) * random.normal());
  const reach = sigma * Math.sqrt(share) * 0.3;
  const volume = Math.max(1, Math.round(t.profile.avgVolume * t.activity * share * Math.exp(0.3 * random.normal())));
  return {
    ...t,
    price,
    dayHigh: Math.max(t.open, price) * (1 + Math.abs(random.normal()) * reach),
    dayLow: Math.min(t.open, price) * (1 - Math.min(0.5, Math.abs(random.normal()) * reach)),
    volume,
    rvol: volume / (t.profile.avgVolume * dayShare),
    // Where the price stood some minutes ago (about 1 % of a day's variance), so momentum starts filled.
    averagePrice: price * Math.exp(sigma * 0.1 * random.normal()),
    shareAtTrade: dayShare,
    tradedAt: nowMs,
    session,
  };
}

function trade(random: Random, t: TickerState, dayShare: number, nowMs: number, moment: MarketMoment): TickerState {
  const share = clamp(dayShare - t.shareAtTrade, 0, 0.25);
  const sigma = t.profile.volatility * Math.sqrt(Math.min(t.activity, 9));
  // Fat tails: now and then a print far outside the usual move.
  const shock = random.normal() * (random.next() < 0.01 ? 3 : 1);
  const price = Math.max(0.01, t.price * Math.exp(t.drift * share + sigma * Math.sqrt(share) * shock));
  const added = t.profile.avgVolume * t.activity * share * Math.exp(0.4 * random.normal() - 0.08);
  const volume = t.volume + Math.max(1, Math.round(added));
  const minutesSinceTrade = t.tradedAt === 0 ? MOMENTUM_MINUTES : (nowMs - t.tradedAt) / 60_000;
  const averagePrice = t.averagePrice + (1 - Math.exp(-minutesSinceTrade / MOMENTUM_MINUTES)) * (price - t.averagePrice);
  return {
    ...t,
    price,
    dayHigh: Math.max(t.dayHigh, price),
    dayLow: Math.min(t.dayLow, price),
    volume,
    rvol: volume / Math.max(1, t.profile.avgVolume * dayShare),
    averagePrice,
    shareAtTrade: dayShare,
    tradedAt: nowMs,
    session: moment.session,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
