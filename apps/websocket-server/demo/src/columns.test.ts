import { describe, expect, it } from 'vitest';
import { COLUMNS, formatPercent, formatPrice, formatRatio, formatVolume, listTitle, trendOf } from './columns.js';

describe('cell formatting', () => {
  it('formats prices with two decimals, four below a dollar', () => {
    expect(formatPrice(28.6)).toBe('28.60');
    expect(formatPrice(0.4567)).toBe('0.4567');
    expect(formatPrice('12')).toBe('–');
    expect(formatPrice(Number.NaN)).toBe('–');
  });

  it('signs percents', () => {
    expect(formatPercent(21.013)).toBe('+21.01%');
    expect(formatPercent(-3.5)).toBe('-3.50%');
    expect(formatPercent(0)).toBe('0.00%');
    expect(formatPercent(undefined)).toBe('–');
  });

  it('shortens volumes to about three significant digits', () => {
    expect(formatVolume(950)).toBe('950');
    expect(formatVolume(45_676)).toBe('45.7K');
    expect(formatVolume(245_676)).toBe('246K');
    expect(formatVolume(7_153_725)).toBe('7.2M');
    expect(formatVolume(312_000_000)).toBe('312M');
    expect(formatVolume(2_500_000_000)).toBe('2.5B');
    expect(formatVolume(null)).toBe('–');
  });

  it('formats ratios and trends', () => {
    expect(formatRatio(6.255)).toMatch(/^6\.2[56]×$/);
    expect(trendOf(1)).toBe('up');
    expect(trendOf(-0.01)).toBe('down');
    expect(trendOf(0)).toBeNull();
    expect(trendOf('x')).toBeNull();
  });
});

describe('COLUMNS', () => {
  it('renders a protocol row, and a row without market fields as dashes', () => {
    const row = { symbol: 'BSDE', rank: 1, timestamp: '2026-11-18T15:00:00.000Z', price: 28.63, change_percent: 21.01, gap_percent: -4.95, volume: 245676, rvol: 6.26 };
    expect(COLUMNS.map((c) => c.cell(row).text)).toEqual(['1', 'BSDE', '28.63', '+21.01%', '-4.95%', '246K', '6.26×']);
    expect(COLUMNS.map((c) => c.cell(row).trend)).toEqual([null, null, null, 'up', 'down', null, null]);
    expect(COLUMNS.map((c) => c.cell({ symbol: 'X', rank: 2, timestamp: 0 }).text)).toEqual(['2', 'X', '–', '–', '–', '–', '–']);
  });

  it('titles lists', () => {
    expect(listTitle('gappers_up')).toBe('Gappers up');
    expect(listTitle('winners')).toBe('Winners');
  });
});
