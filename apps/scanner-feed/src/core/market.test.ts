import { newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { type Market, createMarket, stepMarket } from './market.js';

const START = newYorkInstant('2026-11-18', 11, 0);
const at = (start: Date, ms: number) => new Date(start.getTime() + ms);

function run(seed: number, ticks: number, start = START, universeSize = 300): Market[] {
  const markets = [createMarket({ seed, universeSize, now: start, calendar: nyseCalendar })];
  for (let i = 1; i <= ticks; i++) markets.push(stepMarket(markets[i - 1] as Market, at(start, i * 2000), nyseCalendar));
  return markets;
}

const last = <T>(items: readonly T[]): T => items[items.length - 1] as T;

describe('createMarket / stepMarket', () => {
  it('is a function of the seed and the instants: same seed, same market; another seed, another market', () => {
    expect(last(run(42, 30))).toEqual(last(run(42, 30)));
    expect(last(run(42, 30)).tickers.map((t) => t.price)).not.toEqual(last(run(43, 30)).tickers.map((t) => t.price));
  });

  it('starts with a universe of realistic tickers: distinct symbols, previous closes of $1-$500', () => {
    const market = createMarket({ seed: 1, universeSize: 600, now: START, calendar: nyseCalendar });
    expect(market.tickers).toHaveLength(600);
    expect(new Set(market.tickers.map((t) => t.profile.symbol)).size).toBe(600);
    for (const t of market.tickers) {
      expect(t.prevClose).toBeGreaterThanOrEqual(1);
      expect(t.prevClose).toBeLessThanOrEqual(500);
      expect(t.profile.avgVolume).toBeGreaterThanOrEqual(50_000);
    }
    // Created at 11:00, the morning is filled in: most names have traded and carry volume and a range.
    const traded = market.tickers.filter((t) => t.volume > 0);
    expect(traded.length).toBeGreaterThan(0.8 * 600);
    expect(traded.some((t) => t.dayHigh > t.dayLow)).toBe(true);
    expect(market.sessionDate).toBe('2026-11-18');
  });

  it('keeps every ticker consistent on every step: low <= price <= high, volume never falls', () => {
    const markets = run(9, 60);
    // Hundreds of thousands of checks: collected as plain comparisons and asserted once, so the test
    // spends its time on the market rather than on expect() bookkeeping.
    const broken: string[] = [];
    for (let i = 1; i < markets.length; i++) {
      const before = markets[i - 1] as Market;
      const after = markets[i] as Market;
      after.tickers.forEach((t, index) => {
        const prior = before.tickers[index];
        const rules: Array<[string, boolean]> = [
          ['same symbol', t.profile.symbol === prior?.profile.symbol],
          ['low <= price', t.dayLow <= t.price],
          ['price <= high', t.price <= t.dayHigh],
          ['low <= open', t.dayLow <= t.open],
          ['open <= high', t.open <= t.dayHigh],
          ['volume never falls', t.volume >= (prior?.volume ?? 0)],
          ['finite', Number.isFinite(t.price) && Number.isFinite(t.rvol) && Number.isFinite(t.averagePrice)],
        ];
        for (const [rule, holds] of rules) if (!holds) broken.push(`step ${i} ${t.profile.symbol}: ${rule}`);
      });
    }
    expect(broken).toEqual([]);
    expect(markets.length).toBe(61);
  });

  it('moves some tickers each tick and leaves the others exactly as they were', () => {
    const [first, second] = run(3, 1) as [Market, Market];
    const moved = second.tickers.filter((t, i) => t !== first.tickers[i]);
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.length).toBeLessThan(second.tickers.length);
    for (const t of moved) expect(t.tradedAt).toBe(at(START, 2000).getTime());
  });

  it('trades more at the open than at midday, and barely in the early pre-market', () => {
    const tradesPerTick = (start: Date) => {
      const [a, b] = run(5, 1, start, 1000) as [Market, Market];
      return b.tickers.filter((t, i) => t !== a.tickers[i]).length;
    };
    const open = tradesPerTick(newYorkInstant('2026-11-18', 9, 31));
    const midday = tradesPerTick(newYorkInstant('2026-11-18', 12, 45));
    const early = tradesPerTick(newYorkInstant('2026-11-18', 5, 0));
    expect(open).toBeGreaterThan(midday);
    expect(midday).toBeGreaterThan(early);
  });

  it('does not modify the market it steps, and a step to the same instant changes nothing', () => {
    const market = createMarket({ seed: 4, universeSize: 100, now: START, calendar: nyseCalendar });
    const copy = structuredClone(market);
    stepMarket(market, at(START, 2000), nyseCalendar);
    expect(market).toEqual(copy);
    expect(stepMarket(market, START, nyseCalendar)).toBe(market);
  });

  it('opens a new trading day at the pre-market: previous close = last price, volume from zero, a gap', () => {
    const evening = newYorkInstant('2026-11-18', 19, 59);
    const before = createMarket({ seed: 8, universeSize: 200, now: evening, calendar: nyseCalendar });
    const next = stepMarket(before, new Date(newYorkInstant('2026-11-19', 4, 0).getTime() + 2000), nyseCalendar);
    expect(next.sessionDate).toBe('2026-11-19');
    next.tickers.forEach((t, i) => {
      expect(t.prevClose).toBe(before.tickers[i]?.price);
      expect(t.volume).toBeLessThanOrEqual(t.profile.avgVolume);
    });
    // Two seconds into the pre-market, hardly anything has traded yet.
    expect(next.tickers.filter((t) => t.volume === 0).length).toBeGreaterThan(190);
    expect(next.tickers.some((t) => Math.abs(t.open / t.prevClose - 1) > 0.02)).toBe(true);
  });
});
