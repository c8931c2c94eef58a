import { hashString, uniform } from './hash.js';

/**
 * The fixed character of one synthetic ticker (price level, volatility, liquidity, trend cycles),
 * drawn once from hash(seed, symbol). Everything a day's bars need that does not change day to day.
 */
export interface TickerProfile {
  readonly symbol: string;
  /** hash(seed, symbol): the root of every per-ticker random number. */
  readonly key: number;
  readonly basePrice: number;
  /** Typical daily log-return standard deviation (0.01 = 1%). */
  readonly dailyVolatility: number;
  /** Average daily volume in shares. */
  readonly averageDailyVolume: number;
  readonly averageTradeSize: number;
  /** Shares of the day's volume traded 04:00-09:30 and after the close. */
  readonly preMarketShare: number;
  readonly postMarketShare: number;
  /** Chance that an extended-hours five-minute bar has no trade (and so no bar), higher when illiquid. */
  readonly emptyExtendedBarChance: number;
  /** Slow trend cycles of the log price: amplitude, period in calendar days, phase. */
  readonly cycles: readonly { readonly amplitude: number; readonly periodDays: number; readonly phase: number }[];
  readonly sharesOutstanding: number;
  readonly floatShares: number;
  readonly sector: string;
  readonly industry: string;
}

/** Purposes of the per-ticker draws; each one its own stream of numbers. */
const Draw = {
  Price: 1,
  Volatility: 2,
  Volume: 3,
  TradeSize: 4,
  PreShare: 5,
  PostShare: 6,
  Turnover: 7,
  FloatRatio: 8,
  Sector: 9,
  Industry: 10,
  CycleBase: 100,
} as const;

/** Real sector names, so the scanner's filters and UI behave as with real data; industries say synthetic. */
const SECTORS = [
  'Technology',
  'Healthcare',
  'Financial Services',
  'Consumer Cyclical',
  'Industrials',
  'Energy',
  'Communication Services',
  'Consumer Defensive',
  'Basic Materials',
  'Real Estate',
  'Utilities',
] as const;
const INDUSTRY_FLAVOURS = ['Products', 'Services', 'Equipment', 'Holdings', 'Systems'] as const;

function logUniform(u: number, low: number, high: number): number {
  return Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low)));
}

function pick<T>(items: readonly T[], u: number): T {
  return items[Math.min(items.length - 1, Math.floor(u * items.length))] as T;
}

export function tickerKey(seed: number, symbol: string): number {
  return hashString(`${seed}:${symbol}`);
}

export function tickerProfile(seed: number, symbol: string): TickerProfile {
  const key = tickerKey(seed, symbol);
  const u = (draw: number): number => uniform(key, draw);

  const basePrice = logUniform(u(Draw.Price), 3, 400);
  // Cheap stocks swing more, as on the real tape.
  const dailyVolatility = 0.008 + 0.03 * u(Draw.Volatility) ** 1.5 + (basePrice < 10 ? 0.01 : 0);
  const averageDailyVolume = Math.round(logUniform(u(Draw.Volume), 50_000, 30_000_000));
  const liquidity = Math.log(averageDailyVolume / 50_000) / Math.log(30_000_000 / 50_000); // 0 (thin) .. 1
  const turnover = 0.002 + 0.02 * u(Draw.Turnover);
  const sharesOutstanding = Math.round(averageDailyVolume / turnover);
  const sector = pick(SECTORS, u(Draw.Sector));

  const periods: ReadonlyArray<readonly [number, number]> = [
    [8, 20],
    [30, 90],
    [120, 400],
  ];
  const cycles = periods.map(([shortest, longest], i) => {
    const periodDays = shortest + (longest - shortest) * u(Draw.CycleBase + 3 * i);
    // The fast cycle moves the price about half a typical day per day; the slow ones are trends.
    const amplitude =
      i === 0
        ? (0.5 * dailyVolatility * periodDays) / (2 * Math.PI)
        : (i === 1 ? 0.04 : 0.08) + (i === 1 ? 0.1 : 0.2) * u(Draw.CycleBase + 3 * i + 1);
    return { amplitude, periodDays, phase: 2 * Math.PI * u(Draw.CycleBase + 3 * i + 2) };
  });

  return {
    symbol,
    key,
    basePrice,
    dailyVolatility,
    averageDailyVolume,
    averageTradeSize: 50 + Math.round(250 * u(Draw.TradeSize)),
    preMarketShare: 0.02 + 0.06 * u(Draw.PreShare),
    postMarketShare: 0.01 + 0.04 * u(Draw.PostShare),
    emptyExtendedBarChance: 0.5 * (1 - liquidity),
    cycles,
    sharesOutstanding,
    floatShares: Math.round(sharesOutstanding * (0.5 + 0.45 * u(Draw.FloatRatio))),
    sector,
    industry: `Synthetic ${sector} ${pick(INDUSTRY_FLAVOURS, u(Draw.Industry))}`,
  };
}
