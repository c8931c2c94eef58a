import { newYorkInstant, newYorkWallTime, nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { type DailyBar, SourceError } from '../market-data-source.js';
import { SyntheticMarketDataSource } from './synthetic-source.js';
import { syntheticSymbols } from './universe.js';

const FULL_DAY = '2026-11-20';
const EARLY_CLOSE = '2026-11-27';
const FIVE_MINUTES = 300_000;

async function sourceError(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('synthetic source: determinism', () => {
  it('gives the same bars for the same seed, whatever was asked before', async () => {
    const a = new SyntheticMarketDataSource({ universeSize: 20, seed: 42 });
    const b = new SyntheticMarketDataSource({ universeSize: 20, seed: 42 });
    // `b` generates other days first: nothing may carry over from one call to the next.
    await b.dailyBars('2026-11-18');
    await b.intradayBars('2026-11-19', b.symbols);
    expect(await b.dailyBars(FULL_DAY)).toEqual(await a.dailyBars(FULL_DAY));
    expect(await b.intradayBars(FULL_DAY, b.symbols)).toEqual(await a.intradayBars(FULL_DAY, a.symbols));
  });

  it('gives different data for a different seed, over the same symbols', async () => {
    const a = await new SyntheticMarketDataSource({ universeSize: 20, seed: 1 }).dailyBars(FULL_DAY);
    const b = await new SyntheticMarketDataSource({ universeSize: 20, seed: 2 }).dailyBars(FULL_DAY);
    expect(b.map((bar) => bar.symbol)).toEqual(a.map((bar) => bar.symbol));
    const differing = a.filter((bar, i) => bar.close !== b[i]?.close || bar.volume !== b[i]?.volume);
    expect(differing.length).toBe(a.length);
  });

  it('does not depend on the universe size: a ticker keeps its data in a larger universe', async () => {
    const small = await new SyntheticMarketDataSource({ universeSize: 10 }).dailyBars(FULL_DAY);
    const large = await new SyntheticMarketDataSource({ universeSize: 300 }).dailyBars(FULL_DAY);
    expect(large.slice(0, 10)).toEqual(small);
  });
});

describe('synthetic source: shapes', () => {
  const source = new SyntheticMarketDataSource({ universeSize: 60, seed: 9 });

  it('produces valid five-minute bars from 04:00 to 20:00 New York, sorted, consistent with the daily bar', async () => {
    const session = nyseCalendar.session(FULL_DAY);
    const daily = new Map((await source.dailyBars(FULL_DAY)).map((bar) => [bar.symbol, bar]));
    const { values, failures } = await source.intradayBars(FULL_DAY, source.symbols);
    expect(failures).toEqual([]);
    expect(values.size).toBe(60);
    for (const [symbol, bars] of values) {
      expect(bars.length).toBeGreaterThan(60);
      let previousStart = -Infinity;
      for (const bar of bars) {
        expect(bar.startMs % FIVE_MINUTES).toBe(0);
        expect(bar.startMs).toBeGreaterThan(previousStart);
        expect(bar.startMs).toBeGreaterThanOrEqual(session.preMarketOpen.getTime());
        expect(bar.startMs).toBeLessThan(session.postMarketClose.getTime());
        expect(bar.low).toBeGreaterThan(0);
        expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
        expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
        expect(Number.isInteger(bar.volume) && bar.volume > 0).toBe(true);
        previousStart = bar.startMs;
      }
      const regular = bars.filter((b) => b.startMs >= session.marketOpen.getTime() && b.startMs < session.marketClose.getTime());
      const day = daily.get(symbol) as DailyBar;
      expect(day.date).toBe(FULL_DAY);
      expect(regular[0]?.startMs).toBe(session.marketOpen.getTime());
      expect(day.open).toBe(regular[0]?.open);
      expect(day.close).toBe(regular.at(-1)?.close);
      expect(regular.at(-1)?.startMs).toBe(session.marketClose.getTime() - FIVE_MINUTES);
      expect(day.high).toBe(Math.max(...bars.map((b) => b.high)));
      expect(day.low).toBe(Math.min(...bars.map((b) => b.low)));
      expect(day.volume).toBe(bars.reduce((sum, b) => sum + b.volume, 0));
      expect(day.vwap).toBeGreaterThanOrEqual(day.low);
      expect(day.vwap).toBeLessThanOrEqual(day.high);
      expect(day.trades).toBeGreaterThan(0);
    }
  });

  it('leaves some extended-hours bars empty on thin tickers, as the real tape does', async () => {
    const { values } = await source.intradayBars(FULL_DAY, source.symbols);
    const counts = [...values.values()].map((bars) => bars.length);
    expect(Math.min(...counts)).toBeLessThan(192);
    expect(Math.max(...counts)).toBeLessThanOrEqual(192);
  });

  it('ends an early-close session at 13:00 and its post-market at 17:00', async () => {
    const { values } = await source.intradayBars(EARLY_CLOSE, source.symbols);
    const daily = new Map((await source.dailyBars(EARLY_CLOSE)).map((bar) => [bar.symbol, bar]));
    const close = newYorkInstant(EARLY_CLOSE, 13, 0).getTime();
    for (const [symbol, bars] of values) {
      const last = newYorkWallTime(new Date(bars.at(-1)?.startMs ?? 0));
      expect(last.hour * 60 + last.minute).toBeLessThanOrEqual(16 * 60 + 55);
      const regular = bars.filter((b) => b.startMs < close && b.startMs >= newYorkInstant(EARLY_CLOSE, 9, 30).getTime());
      expect(regular.at(-1)?.startMs).toBe(close - FIVE_MINUTES);
      expect(daily.get(symbol)?.close).toBe(regular.at(-1)?.close);
      expect(bars.some((b) => b.startMs >= close)).toBe(true);
    }
    const lastStarts = [...values.values()].map((bars) => bars.at(-1)?.startMs ?? 0);
    expect(Math.max(...lastStarts)).toBe(newYorkInstant(EARLY_CLOSE, 16, 55).getTime());
  });

  it('generates any session the calendar covers, the first one included, without walking from an anchor', async () => {
    const first = await source.dailyBars('2000-01-03');
    const last = await source.dailyBars('2099-12-30');
    expect(first).toHaveLength(60);
    expect(last).toHaveLength(60);
    for (const bar of [...first, ...last]) expect(bar.low).toBeLessThanOrEqual(bar.high);
  });

  it('reports a non-trading date as NOT_FOUND and a malformed one as REJECTED', async () => {
    expect((await sourceError(source.dailyBars('2026-11-26'))).code).toBe('NOT_FOUND');
    expect((await sourceError(source.intradayBars('2026-11-21', source.symbols))).code).toBe('NOT_FOUND');
    expect((await sourceError(source.dailyBars('2026-02-30'))).code).toBe('REJECTED');
  });
});

describe('synthetic source: realism', () => {
  const source = new SyntheticMarketDataSource({ universeSize: 50, seed: 3 });
  const dates = nyseCalendar.lastSessions(40, FULL_DAY);

  it('is continuous between sessions: the open sits close to the previous close, well inside the daily range', async () => {
    const byDate = await Promise.all(dates.map((d) => source.dailyBars(d)));
    const gaps: number[] = [];
    const trueRanges: number[] = [];
    for (let d = 1; d < dates.length; d++) {
      const previous = new Map((byDate[d - 1] ?? []).map((bar) => [bar.symbol, bar]));
      for (const bar of byDate[d] ?? []) {
        const prior = previous.get(bar.symbol) as DailyBar;
        gaps.push(Math.abs(Math.log(bar.open / prior.close)));
        trueRanges.push(Math.max(bar.high - bar.low, Math.abs(bar.high - prior.close), Math.abs(bar.low - prior.close)) / bar.close);
      }
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.max(...gaps)).toBeLessThan(0.1);
    expect(mean(gaps)).toBeLessThan(0.35 * mean(trueRanges));
    // ATR% of listed US stocks: mostly between 1% and 10%.
    expect(mean(trueRanges)).toBeGreaterThan(0.01);
    expect(mean(trueRanges)).toBeLessThan(0.1);
  });

  it('gives each ticker a realistic ATR% (0.5%-15%) over 14 sessions', async () => {
    for (const symbol of source.symbols) {
      const bars = dates.slice(-15).map((d) => source.day(symbol, d).daily);
      let sum = 0;
      for (let i = 1; i < bars.length; i++) {
        const [b, p] = [bars[i] as DailyBar, bars[i - 1] as DailyBar];
        sum += Math.max(b.high - b.low, Math.abs(b.high - p.close), Math.abs(b.low - p.close));
      }
      const atrPercent = (sum / 14 / (bars.at(-1) as DailyBar).close) * 100;
      expect(atrPercent).toBeGreaterThan(0.5);
      expect(atrPercent).toBeLessThan(15);
    }
  });

  it('has a U-shaped regular-session volume profile', async () => {
    const slotVolume = new Array<number>(78).fill(0);
    for (const date of dates.slice(-10)) {
      const open = nyseCalendar.session(date).marketOpen.getTime();
      const { values } = await source.intradayBars(date, source.symbols);
      for (const bars of values.values()) {
        for (const bar of bars) {
          const slot = (bar.startMs - open) / FIVE_MINUTES;
          if (slot >= 0 && slot < 78) slotVolume[slot] = (slotVolume[slot] ?? 0) + bar.volume;
        }
      }
    }
    const midday = slotVolume.slice(30, 50).reduce((s, v) => s + v, 0) / 20;
    const firstHalfHour = slotVolume.slice(0, 6).reduce((s, v) => s + v, 0) / 6;
    const lastHalfHour = slotVolume.slice(72, 78).reduce((s, v) => s + v, 0) / 6;
    expect(firstHalfHour).toBeGreaterThan(2 * midday);
    expect(lastHalfHour).toBeGreaterThan(1.5 * midday);
    expect(slotVolume[0]).toBeGreaterThan(slotVolume[39] as number);
    expect(slotVolume[77]).toBeGreaterThan(slotVolume[39] as number);
  });
});

describe('synthetic source: universe and details', () => {
  it('names symbols by index only, uniquely, so a larger universe extends a smaller one', () => {
    const big = syntheticSymbols(20_000);
    expect(new Set(big).size).toBe(20_000);
    expect(syntheticSymbols(50)).toEqual(big.slice(0, 50));
    for (const symbol of big.slice(0, 100)) expect(symbol).toMatch(/^[A-Z]{4}$/);
  });

  it('says synthetic in every detail record and fails unknown symbols by name', async () => {
    const source = new SyntheticMarketDataSource({ universeSize: 50 });
    const asked = [source.symbols[42] as string, 'NOPE'];
    const { values, failures } = await source.tickerDetails(asked);
    const details = values.get(asked[0] as string);
    expect(details).toMatchObject({ name: 'Synthetic Holdings 0042', exchange: 'SYNTH', type: 'CS', active: true });
    expect(details?.sharesOutstanding).toBeGreaterThan(0);
    expect(details?.floatShares).toBeLessThanOrEqual(details?.sharesOutstanding ?? 0);
    expect(details?.marketCap).toBeGreaterThan(0);
    expect(details?.industry).toMatch(/^Synthetic /);
    expect(failures).toEqual([{ symbol: 'NOPE', code: 'NOT_FOUND', message: 'NOPE is not in the synthetic universe', attempts: 1 }]);
    const bars = await source.intradayBars(FULL_DAY, ['NOPE', asked[0] as string]);
    expect(bars.failures.map((f) => [f.symbol, f.code])).toEqual([['NOPE', 'NOT_FOUND']]);
    expect(bars.values.get(asked[0] as string)?.length).toBeGreaterThan(0);
  });

  it('takes an explicit symbol list and listing dates', async () => {
    const source = new SyntheticMarketDataSource({
      symbols: ['AAA', 'BBB', 'CCC'],
      listings: { BBB: { listedOn: '2026-11-20' }, CCC: { delistedAfter: '2026-11-19' } },
    });
    expect((await source.dailyBars('2026-11-19')).map((b) => b.symbol)).toEqual(['AAA', 'CCC']);
    expect((await source.dailyBars('2026-11-20')).map((b) => b.symbol)).toEqual(['AAA', 'BBB']);
    expect(source.symbolsTradingOn('2026-11-20')).toEqual(['AAA', 'BBB']);
    const { values } = await source.intradayBars('2026-11-20', ['AAA', 'CCC']);
    expect(values.get('CCC')).toEqual([]);
    expect(values.get('AAA')?.length).toBeGreaterThan(0);
    const details = await source.tickerDetails(['BBB', 'CCC']);
    expect(details.values.get('BBB')?.active).toBe(true);
    expect(details.values.get('CCC')?.active).toBe(false);
    expect(details.values.get('CCC')?.name).toBe('Synthetic Holdings 0002');
  });

  it('refuses bad options with a clear message', () => {
    expect(() => new SyntheticMarketDataSource({ universeSize: 0 })).toThrow(/universe size/);
    expect(() => new SyntheticMarketDataSource({ symbols: ['AAA', 'AAA'] })).toThrow(/twice/);
    expect(() => new SyntheticMarketDataSource({ symbols: ['aa a'] })).toThrow(/not a ticker symbol/);
    expect(() => new SyntheticMarketDataSource({ symbols: ['AAA'], listings: { ZZZ: {} } })).toThrow(/not in the universe/);
    expect(() => new SyntheticMarketDataSource({ seed: 1.5 })).toThrow(/integer/);
  });
});
