import { describe, expect, it } from 'vitest';
import { type MarketSnapshot, decodeMarketSnapshot, encodeMarketSnapshot } from './market-snapshot.js';

const snapshot: MarketSnapshot = {
  count: 2,
  tickers: [
    { ticker: 'AAPL', day: { c: 231.5, v: 51_000_000 }, rvol: 1.2, atr: 4.8 },
    { ticker: 'NEWCO', day: { c: 10.1, v: 120_000 } },
  ],
  timestamp: '2026-11-20T21:59:58.000Z',
};

describe('snapshot:*:latest', () => {
  it('round-trips with the ticker fields kept', () => {
    expect(decodeMarketSnapshot(encodeMarketSnapshot(snapshot))).toEqual({ ok: true, value: snapshot });
  });

  it('accepts an epoch-number timestamp and tickers the key builders would not', () => {
    const odd = { count: 1, tickers: [{ ticker: 'X:BTCUSD' }], timestamp: 1763675998 };
    expect(decodeMarketSnapshot(JSON.stringify(odd))).toEqual({ ok: true, value: odd });
  });

  it.each([
    ['a count that disagrees', { ...snapshot, count: 11283 }, 'count'],
    ['a ticker without a name', { ...snapshot, count: 1, tickers: [{ day: {} }] }, 'tickers.0.ticker'],
    ['tickers as an object', { ...snapshot, tickers: { AAPL: {} } }, 'tickers'],
    ['no timestamp', { count: 0, tickers: [] }, 'timestamp'],
  ])('refuses %s', (_label, value, path) => {
    expect(decodeMarketSnapshot(JSON.stringify(value))).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE', path } });
  });

  it('tells a missing key from garbage', () => {
    expect(decodeMarketSnapshot(null)).toMatchObject({ ok: false, error: { code: 'MISSING' } });
    expect(decodeMarketSnapshot('{"count":')).toMatchObject({ ok: false, error: { code: 'INVALID_JSON' } });
  });

  it('refuses to write a snapshot a reader would refuse', () => {
    expect(() => encodeMarketSnapshot({ ...snapshot, count: 3 })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }) as Error);
  });
});
