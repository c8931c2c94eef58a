import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { newYorkInstant } from '@scanner/market-calendar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlatFileMarketDataSource } from '../../src/sources/flatfiles/flat-file-source.js';
import { SourceError } from '../../src/sources/market-data-source.js';
import { SyntheticMarketDataSource } from '../../src/sources/synthetic/synthetic-source.js';
import {
  AGG_HEADER,
  flatFilePath,
  tempFlatFileRoot,
  tickerReferencePath,
  writeDayAggs,
  writeGzipLines,
  writeSyntheticFlatFiles,
  writeTickerReference,
} from '../support/flat-file-fixtures.js';

let root: string;
let remove: () => Promise<void>;
let source: FlatFileMarketDataSource;

beforeEach(async () => {
  ({ root, remove } = await tempFlatFileRoot());
  source = new FlatFileMarketDataSource({ root });
});
afterEach(async () => {
  await source.close();
  await remove();
});

async function rejection(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

const ns = (date: string, hour: number, minute: number): bigint => BigInt(newYorkInstant(date, hour, minute).getTime()) * 1_000_000n;

describe('flat files: daily bars', () => {
  it('reads the real column layout back exactly', async () => {
    // 2024-11-29 00:00 New York = 05:00 UTC, in nanoseconds, as Polygon writes day files.
    await writeGzipLines(flatFilePath(root, 'day_aggs_v1', '2024-11-29'), [
      AGG_HEADER,
      'AAPL,28481377,234.805,237.33,237.81,233.97,1732856400000000000,311145',
      'TINY,120,0.0001,0.0003,0.0004,0.0001,1732856400000000000,3',
      'HUGE,12345678901,1.5,1.25,1.75,1.125,1732856400000000000,9007199254740991',
    ]);
    expect(await source.dailyBars('2024-11-29')).toEqual([
      { symbol: 'AAPL', date: '2024-11-29', open: 234.805, high: 237.81, low: 233.97, close: 237.33, volume: 28_481_377, vwap: null, trades: 311_145 },
      { symbol: 'TINY', date: '2024-11-29', open: 0.0001, high: 0.0004, low: 0.0001, close: 0.0003, volume: 120, vwap: null, trades: 3 },
      { symbol: 'HUGE', date: '2024-11-29', open: 1.5, high: 1.75, low: 1.125, close: 1.25, volume: 12_345_678_901, vwap: null, trades: 9_007_199_254_740_991 },
    ]);
  });

  it('finds columns by the header, whatever their order', async () => {
    await writeGzipLines(flatFilePath(root, 'day_aggs_v1', '2024-11-29'), [
      'window_start,ticker,open,high,low,close,volume,transactions',
      '1732856400000000000,MSFT,420.1,424.5,419,423.46,16271853,230000',
    ]);
    expect(await source.dailyBars('2024-11-29')).toEqual([
      { symbol: 'MSFT', date: '2024-11-29', open: 420.1, high: 424.5, low: 419, close: 423.46, volume: 16_271_853, vwap: null, trades: 230_000 },
    ]);
  });

  it('reports a missing day as NOT_FOUND and a non-trading day as NOT_FOUND without reading', async () => {
    const missing = await rejection(source.dailyBars('2024-11-27'));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain(flatFilePath(root, 'day_aggs_v1', '2024-11-27'));
    expect((await rejection(source.dailyBars('2024-11-28'))).code).toBe('NOT_FOUND');
    expect((await rejection(source.dailyBars('2024-13-01'))).code).toBe('REJECTED');
  });

  it('names the file and the line of a malformed row', async () => {
    const path = flatFilePath(root, 'day_aggs_v1', '2024-11-29');
    await writeGzipLines(path, [AGG_HEADER, 'AAPL,100,1,1,1,1,1732856400000000000,3', 'MSFT,100,1,abc,1,1,1732856400000000000,3']);
    const error = await rejection(source.dailyBars('2024-11-29'));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain(`${path} line 3`);
    expect(error.message).toContain('bad close "abc"');
  });

  it('refuses a missing column, a short line, a row from another day and a duplicate ticker', async () => {
    const path = flatFilePath(root, 'day_aggs_v1', '2024-11-29');
    const cases: Array<[string[], RegExp]> = [
      [['ticker,volume,open,close,high,low,window_start', 'A,1,1,1,1,1,1732856400000000000'], /line 1: .*lacks column transactions/],
      [[AGG_HEADER, 'A,1,1,1,1,1,1732856400000000000'], /line 2: expected 8 fields, got 7/],
      [[AGG_HEADER, 'A,1,1,1,1,1,1732770000000000000,1'], /line 2: window_start 1732770000000000000 is on 2024-11-28, not 2024-11-29/],
      [[AGG_HEADER, 'A,1,1,1,1,1,1732856400000000000,1', 'A,2,1,1,1,1,1732856400000000000,1'], /line 3: A appears twice/],
      [[], /is empty/],
    ];
    for (const [lines, pattern] of cases) {
      await writeGzipLines(path, lines);
      const error = await rejection(source.dailyBars('2024-11-29'));
      expect(error.code).toBe('INVALID_RESPONSE');
      expect(error.message).toMatch(pattern);
    }
  });

  it('reports a file that is not gzip as INVALID_RESPONSE', async () => {
    const path = flatFilePath(root, 'day_aggs_v1', '2024-11-29');
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${AGG_HEADER}\nAAPL,1,1,1,1,1,1732856400000000000,1\n`);
    const error = await rejection(source.dailyBars('2024-11-29'));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain(path);
  });

  it('reports a truncated gzip file as INVALID_RESPONSE, not as a shorter day', async () => {
    const path = flatFilePath(root, 'day_aggs_v1', '2024-11-29');
    const rows = Array.from({ length: 5000 }, (_, i) => `T${i},${i * 7919},1.5,1.25,1.75,1.125,1732856400000000000,${i}`);
    await writeGzipLines(path, [AGG_HEADER, ...rows]);
    const whole = await readFile(path);
    await writeFile(path, whole.subarray(0, Math.floor(whole.length / 2)));
    const error = await rejection(source.dailyBars('2024-11-29'));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toMatch(/not a readable gzip file after line \d+: unexpected end of file/);
  });
});

describe('flat files: five-minute bars', () => {
  it('parses nanosecond window_start exactly and folds minutes into New York five-minute bars', async () => {
    // 1732890600000000000 ns = 2024-11-29 14:30:00 UTC = 09:30 New York (EST), an early-close day.
    await writeGzipLines(flatFilePath(root, 'minute_aggs_v1', '2024-11-29'), [
      AGG_HEADER,
      'AAPL,300,10.05,10.2,10.25,10,1732890840000000000,3', // 09:34, written before 09:30 on purpose
      'AAPL,100,10,10.1,10.3,9.95,1732890600000000000,1', // 09:30
      'AAPL,200,10.1,10.05,10.15,9.9,1732890660000000000,2', // 09:31
      'AAPL,50,10.2,10.4,10.45,10.2,1732890900000000000,1', // 09:35
      'AAPL,70,10.4,10.1,10.4,10,1732891260000000000,1', // 09:41
      'MSFT,999,1,1,1,1,1732890600000000000,1', // not asked for
    ]);
    const { values, failures } = await source.intradayBars('2024-11-29', ['AAPL', 'NVDA']);
    expect(failures).toEqual([]);
    expect(values.get('AAPL')).toEqual([
      { startMs: 1_732_890_600_000, open: 10, high: 10.3, low: 9.9, close: 10.2, volume: 600 },
      { startMs: 1_732_890_900_000, open: 10.2, high: 10.45, low: 10.2, close: 10.4, volume: 50 },
      { startMs: 1_732_891_200_000, open: 10.4, high: 10.4, low: 10, close: 10.1, volume: 70 },
    ]);
    expect(values.get('NVDA')).toEqual([]);
    expect(values.has('MSFT')).toBe(false);
  });

  it('aligns buckets to New York wall time on both sides of the March DST switch', async () => {
    for (const date of ['2024-03-08', '2024-03-11']) {
      await writeGzipLines(flatFilePath(root, 'minute_aggs_v1', date), [
        AGG_HEADER,
        `X,1,1,1,1,1,${ns(date, 4, 0)},1`,
        `X,2,2,2,2,2,${ns(date, 9, 29)},1`,
        `X,3,3,3,3,3,${ns(date, 9, 30)},1`,
        `X,4,4,4,4,4,${ns(date, 9, 34)},1`,
        `X,5,5,5,5,5,${ns(date, 9, 35)},1`,
        `X,6,6,6,6,6,${ns(date, 19, 59)},1`,
      ]);
    }
    const friday = (await source.intradayBars('2024-03-08', ['X'])).values.get('X') ?? [];
    const monday = (await source.intradayBars('2024-03-11', ['X'])).values.get('X') ?? [];
    // EST (UTC-5) on Friday, EDT (UTC-4) on Monday: the same wall times, an hour apart in UTC.
    expect(friday.map((b) => new Date(b.startMs).toISOString())).toEqual([
      '2024-03-08T09:00:00.000Z',
      '2024-03-08T14:25:00.000Z',
      '2024-03-08T14:30:00.000Z',
      '2024-03-08T14:35:00.000Z',
      '2024-03-09T00:55:00.000Z',
    ]);
    expect(monday.map((b) => new Date(b.startMs).toISOString())).toEqual([
      '2024-03-11T08:00:00.000Z',
      '2024-03-11T13:25:00.000Z',
      '2024-03-11T13:30:00.000Z',
      '2024-03-11T13:35:00.000Z',
      '2024-03-11T23:55:00.000Z',
    ]);
    expect(monday.map((b) => b.volume)).toEqual([1, 2, 7, 5, 6]);
    expect(monday[2]).toMatchObject({ open: 3, close: 4, high: 4, low: 3 });
  });

  it('refuses two bars for the same minute, and a missing minute file', async () => {
    const path = flatFilePath(root, 'minute_aggs_v1', '2024-11-29');
    await writeGzipLines(path, [AGG_HEADER, 'A,1,1,1,1,1,1732890600000000000,1', 'A,1,1,1,1,1,1732890600000000000,1']);
    const duplicate = await rejection(source.intradayBars('2024-11-29', ['A']));
    expect(duplicate.code).toBe('INVALID_RESPONSE');
    expect(duplicate.message).toContain(`${path} line 3: A has two bars at window_start 1732890600000000000`);
    expect((await rejection(source.intradayBars('2024-11-27', ['A']))).code).toBe('NOT_FOUND');
  });

  it('round-trips a synthetic universe through files: the same five-minute bars and daily bars', async () => {
    const synthetic = new SyntheticMarketDataSource({ universeSize: 12, seed: 5 });
    const dates = ['2026-11-25', '2026-11-27'];
    await writeSyntheticFlatFiles(root, synthetic, dates);
    for (const date of dates) {
      const expected = await synthetic.intradayBars(date, synthetic.symbols);
      const actual = await source.intradayBars(date, synthetic.symbols);
      expect(actual.values).toEqual(expected.values);
      const daily = await synthetic.dailyBars(date);
      expect(await source.dailyBars(date)).toEqual(daily.map((bar) => ({ ...bar, vwap: null })).sort((a, b) => (a.symbol < b.symbol ? -1 : 1)));
    }
  });
});

describe('flat files: ticker details', () => {
  it('says every symbol is NOT_FOUND when there is no reference file', async () => {
    const { values, failures } = await source.tickerDetails(['AAPL', 'MSFT']);
    expect(values.size).toBe(0);
    expect(failures.map((f) => [f.symbol, f.code])).toEqual([
      ['AAPL', 'NOT_FOUND'],
      ['MSFT', 'NOT_FOUND'],
    ]);
    expect(failures[0]?.message).toContain('flat files carry no reference data');
  });

  it('reads reference/tickers.json, mapping a SIC code when no sector is given', async () => {
    const aapl = {
      symbol: 'AAPL',
      name: 'Apple Inc.',
      marketCap: 3.1e12,
      sector: 'Technology',
      industry: 'Electronic Computers',
      floatShares: 1.49e10,
      sharesOutstanding: 1.5e10,
      exchange: 'XNAS',
      type: 'CS',
      active: true,
    };
    await writeTickerReference(root, [aapl]);
    const path = tickerReferencePath(root);
    const withSic = JSON.parse(await readFile(path, 'utf8')) as object[];
    withSic.push({ symbol: 'PFE', sic_code: '2834', industry: 'Pharmaceutical Preparations' });
    await writeFile(path, JSON.stringify(withSic));
    const { values, failures } = await source.tickerDetails(['AAPL', 'PFE', 'NOPE']);
    expect(values.get('AAPL')).toEqual(aapl);
    expect(values.get('PFE')).toMatchObject({ sector: 'Healthcare', name: null, active: true });
    expect(failures).toEqual([{ symbol: 'NOPE', code: 'NOT_FOUND', attempts: 1, message: `NOPE is not in ${path}` }]);
  });

  it('refuses a reference file that is not JSON or has the wrong shape', async () => {
    const path = tickerReferencePath(root);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '[{"symbol": "A",');
    expect((await rejection(source.tickerDetails(['A']))).code).toBe('INVALID_RESPONSE');
    await writeFile(path, '[{"symbol": "A", "market_cap": "big"}]');
    const error = await rejection(source.tickerDetails(['A']));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain('0.market_cap');
  });
});

describe('flat-file writer', () => {
  it('writes day files that read back to the same bars (null trades as 0)', async () => {
    const bars = [
      { symbol: 'B', date: '2026-11-20', open: 1.1, high: 1.3, low: 1, close: 1.2, volume: 10, vwap: 1.15, trades: null },
      { symbol: 'A', date: '2026-11-20', open: 0.1 + 0.2, high: 0.4, low: 0.3, close: 0.35, volume: 1e15, vwap: null, trades: 7 },
    ];
    await writeDayAggs(root, '2026-11-20', bars);
    expect(await source.dailyBars('2026-11-20')).toEqual([
      { ...bars[1], vwap: null },
      { ...bars[0], vwap: null, trades: 0 },
    ]);
  });
});
