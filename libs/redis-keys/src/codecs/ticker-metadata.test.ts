import { describe, expect, it } from 'vitest';
import { type TickerMetadata, decodeTickerMetadata, encodeTickerMetadata } from './ticker-metadata.js';

const apple: TickerMetadata = {
  symbol: 'AAPL',
  name: 'Apple Inc.',
  market_cap: 3_400_000_000_000,
  sector: 'Technology',
  industry: 'Consumer Electronics',
  float_shares: 14_800_000_000,
  shares_outstanding: 14_900_000_000,
  exchange: 'XNAS',
  type: 'CS',
  updated_at: '2026-11-20T22:09:12.000Z',
};

// A warrant: no sector, no float, no market cap.
const warrant: TickerMetadata = {
  symbol: 'ACAHW',
  name: 'Atlantic Coastal Acquisition Corp. II Warrant',
  market_cap: null,
  sector: null,
  industry: null,
  float_shares: null,
  shares_outstanding: null,
  exchange: 'XNAS',
  type: 'WARRANT',
  updated_at: '2026-11-20T22:09:12.000Z',
};

describe('metadata:ticker', () => {
  it('encodes the ten fields in the seed order', () => {
    expect(Object.keys(JSON.parse(encodeTickerMetadata(apple)) as object)).toEqual([
      'symbol',
      'name',
      'market_cap',
      'sector',
      'industry',
      'float_shares',
      'shares_outstanding',
      'exchange',
      'type',
      'updated_at',
    ]);
  });

  it('round-trips full and sparse records', () => {
    expect(decodeTickerMetadata(encodeTickerMetadata(apple))).toEqual({ ok: true, value: apple });
    expect(decodeTickerMetadata(encodeTickerMetadata(warrant))).toEqual({ ok: true, value: warrant });
  });

  it('drops fields beyond the ten', () => {
    expect(decodeTickerMetadata(JSON.stringify({ ...apple, cik: '0000320193' }))).toEqual({ ok: true, value: apple });
  });

  it.each([
    ['a missing field', { ...apple, sector: undefined }, 'sector'],
    ['a market cap as text', { ...apple, market_cap: '3.4T' }, 'market_cap'],
    ['a negative float', { ...apple, float_shares: -1 }, 'float_shares'],
    ['a symbol with a colon', { ...apple, symbol: 'X:BTCUSD' }, 'symbol'],
    ['no updated_at', { ...apple, updated_at: null }, 'updated_at'],
  ])('refuses %s', (_label, value, path) => {
    expect(decodeTickerMetadata(JSON.stringify(value))).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE', path } });
  });

  it('tells a missing key from garbage', () => {
    expect(decodeTickerMetadata(null)).toMatchObject({ ok: false, error: { code: 'MISSING' } });
    expect(decodeTickerMetadata('AAPL')).toMatchObject({ ok: false, error: { code: 'INVALID_JSON' } });
    expect(decodeTickerMetadata('[]')).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE' } });
  });

  it('refuses to write a record a reader would refuse', () => {
    expect(() => encodeTickerMetadata({ ...apple, market_cap: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE' }) as Error,
    );
  });
});
