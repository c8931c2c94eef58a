import type { Spread } from './stats.js';

/** A number with a fixed count of decimals and thousands separators, e.g. 936,000 or 12.35. */
export function formatNumber(value: number, decimals = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** "median (min–max)", or the single value when the measurement ran once (a --quick run). */
export function formatSpread(value: Spread, decimals = 0, unit = ''): string {
  const suffix = unit === '' ? '' : ` ${unit}`;
  const median = `${formatNumber(value.median, decimals)}${suffix}`;
  if (value.runs.length < 2) return median;
  return `${median} (${formatNumber(value.min, decimals)}–${formatNumber(value.max, decimals)})`;
}

/** Bytes as MiB with one decimal. */
export function mebibytes(bytes: number): number {
  return bytes / (1024 * 1024);
}
