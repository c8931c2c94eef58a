import { newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import { SCANNER_LISTS, type ScannerList, type ScannerRow, isIsoInstant, validateScannerRows } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import { ANOMALY_RVOL, GAP_THRESHOLD_PERCENT, REVERSAL_THRESHOLD_PERCENT } from './list-rules.js';
import { type Market, createMarket, stepMarket } from './market.js';
import { rankLists } from './rank-lists.js';

const START = newYorkInstant('2026-11-18', 10, 30);

function marketAfter(ticks: number, seed = 1): Market {
  let market = createMarket({ seed, universeSize: 600, now: START, calendar: nyseCalendar });
  for (let i = 1; i <= ticks; i++) market = stepMarket(market, new Date(START.getTime() + i * 2000), nyseCalendar);
  return market;
}

const rankings = rankLists(marketAfter(20), SCANNER_LISTS, 100);
const rowsOf = (list: ScannerList): readonly ScannerRow[] => rankings.get(list) ?? [];
const num = (row: ScannerRow, field: string): number => row[field] as number;

function expectOrdered(rows: readonly ScannerRow[], score: (row: ScannerRow) => number): void {
  for (let i = 1; i < rows.length; i++) expect(score(rows[i - 1] as ScannerRow)).toBeGreaterThanOrEqual(score(rows[i] as ScannerRow));
}

describe('rankLists', () => {
  it.each(SCANNER_LISTS)('%s: ranks 1..n, no repeated symbol, at most 100 rows, valid scanner rows', (list) => {
    const rows = rowsOf(list);
    expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(rows.map((r) => r.symbol)).size).toBe(rows.length);
    expect(rows.length).toBeLessThanOrEqual(100);
    expect(validateScannerRows(rows).ok).toBe(true);
    for (const row of rows) {
      expect(isIsoInstant(row.timestamp)).toBe(true);
      expect(num(row, 'volume')).toBeGreaterThan(0);
      expect(num(row, 'day_low')).toBeLessThanOrEqual(num(row, 'price'));
      expect(num(row, 'price')).toBeLessThanOrEqual(num(row, 'day_high'));
      expect(num(row, 'change')).toBeCloseTo(num(row, 'price') - num(row, 'prev_close'), 4);
    }
  });

  it('fills the broad lists to 100 rows from a 600-ticker universe mid-morning', () => {
    for (const list of ['winners', 'losers', 'high_volume', 'momentum_up', 'momentum_down', 'new_highs', 'new_lows'] as const) {
      expect(rowsOf(list), list).toHaveLength(100);
    }
    for (const list of ['gappers_up', 'gappers_down', 'anomalies', 'reversals'] as const) {
      expect(rowsOf(list).length, list).toBeGreaterThan(0);
    }
  });

  it('carries the fields a scanner row has', () => {
    expect(Object.keys(rowsOf('winners')[0] ?? {})).toEqual([
      'symbol', 'rank', 'timestamp', 'price', 'change', 'change_percent', 'gap_percent', 'change_from_open_percent',
      'momentum_percent', 'open', 'prev_close', 'day_high', 'day_low', 'volume', 'avg_volume', 'rvol', 'session',
    ]);
    expect(rowsOf('winners')[0]?.['session']).toBe('MARKET_OPEN');
  });

  it('orders and filters each list by its own rule', () => {
    const pct = (r: ScannerRow) => num(r, 'change_percent');
    expectOrdered(rowsOf('winners'), pct);
    expect(rowsOf('winners').every((r) => pct(r) > 0)).toBe(true);
    expectOrdered(rowsOf('losers'), (r) => -pct(r));
    expect(rowsOf('losers').every((r) => pct(r) < 0)).toBe(true);
    expectOrdered(rowsOf('gappers_up'), (r) => num(r, 'gap_percent'));
    expect(rowsOf('gappers_up').every((r) => num(r, 'gap_percent') >= GAP_THRESHOLD_PERCENT)).toBe(true);
    expectOrdered(rowsOf('gappers_down'), (r) => -num(r, 'gap_percent'));
    expect(rowsOf('gappers_down').every((r) => num(r, 'gap_percent') <= -GAP_THRESHOLD_PERCENT)).toBe(true);
    expectOrdered(rowsOf('momentum_up'), (r) => num(r, 'momentum_percent'));
    expectOrdered(rowsOf('momentum_down'), (r) => -num(r, 'momentum_percent'));
    expect(rowsOf('new_highs').every((r) => num(r, 'price') >= num(r, 'day_high') * 0.995 && pct(r) > 0)).toBe(true);
    expect(rowsOf('new_lows').every((r) => num(r, 'price') <= num(r, 'day_low') * 1.005 && pct(r) < 0)).toBe(true);
    expectOrdered(rowsOf('high_volume'), (r) => num(r, 'volume'));
    expectOrdered(rowsOf('anomalies'), (r) => num(r, 'rvol'));
    expect(rowsOf('anomalies').every((r) => num(r, 'rvol') >= ANOMALY_RVOL)).toBe(true);
    expectOrdered(rowsOf('reversals'), (r) => Math.abs(num(r, 'change_from_open_percent')));
    for (const r of rowsOf('reversals')) {
      const gap = num(r, 'gap_percent');
      const fromOpen = num(r, 'change_from_open_percent');
      expect(Math.sign(gap)).toBe(-Math.sign(fromOpen));
      expect(Math.abs(gap)).toBeGreaterThanOrEqual(GAP_THRESHOLD_PERCENT);
      expect(Math.abs(fromOpen)).toBeGreaterThanOrEqual(REVERSAL_THRESHOLD_PERCENT);
    }
  });

  it('ranks the top of a list: no excluded ticker beats the last row', () => {
    const market = marketAfter(20);
    const all = rankLists(market, ['winners'], 10_000).get('winners') ?? [];
    expect(rowsOf('winners')).toEqual(all.slice(0, 100));
  });

  it('ranks only the lists asked for, and is a function of the market', () => {
    const some = rankLists(marketAfter(20), ['winners', 'losers'], 5);
    expect([...some.keys()]).toEqual(['winners', 'losers']);
    expect(some.get('winners')).toEqual(rowsOf('winners').slice(0, 5));
  });
});
