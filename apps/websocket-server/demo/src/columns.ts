import type { ScannerList, ScannerRow } from '@scanner/shared-types';

/** `up`/`down` colour a signed value; `null` leaves the cell plain. */
export type Trend = 'up' | 'down' | null;

export interface Cell {
  readonly text: string;
  readonly trend: Trend;
}

export interface Column {
  readonly key: string;
  readonly label: string;
  readonly numeric: boolean;
  readonly cell: (row: ScannerRow) => Cell;
}

const MISSING = '–';

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Sub-dollar prices carry four decimals upstream; showing two would hide their moves. */
export function formatPrice(value: unknown): string {
  const n = finite(value);
  if (n === null) return MISSING;
  return n.toFixed(Math.abs(n) < 1 ? 4 : 2);
}

export function formatPercent(value: unknown): string {
  const n = finite(value);
  if (n === null) return MISSING;
  return `${n > 0 ? '+' : ''}${n.toFixed(2)}%`;
}

const UNITS: readonly (readonly [number, string])[] = [
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

export function formatVolume(value: unknown): string {
  const n = finite(value);
  if (n === null) return MISSING;
  for (const [size, unit] of UNITS) {
    if (Math.abs(n) >= size) return `${(n / size).toFixed(n / size >= 100 ? 0 : 1)}${unit}`;
  }
  return String(Math.round(n));
}

export function formatRatio(value: unknown): string {
  const n = finite(value);
  return n === null ? MISSING : `${n.toFixed(2)}×`;
}

export function trendOf(value: unknown): Trend {
  const n = finite(value);
  if (n === null || n === 0) return null;
  return n > 0 ? 'up' : 'down';
}

const plain = (text: string): Cell => ({ text, trend: null });

/** Upstream owns the row fields; a field a list lacks shows as a dash, never as an error. */
export const COLUMNS: readonly Column[] = [
  { key: 'rank', label: '#', numeric: true, cell: (row) => plain(String(row.rank)) },
  { key: 'symbol', label: 'Symbol', numeric: false, cell: (row) => plain(row.symbol) },
  { key: 'price', label: 'Price', numeric: true, cell: (row) => plain(formatPrice(row['price'])) },
  { key: 'change_percent', label: 'Chg', numeric: true, cell: (row) => ({ text: formatPercent(row['change_percent']), trend: trendOf(row['change_percent']) }) },
  { key: 'gap_percent', label: 'Gap', numeric: true, cell: (row) => ({ text: formatPercent(row['gap_percent']), trend: trendOf(row['gap_percent']) }) },
  { key: 'volume', label: 'Volume', numeric: true, cell: (row) => plain(formatVolume(row['volume'])) },
  { key: 'rvol', label: 'RVOL', numeric: true, cell: (row) => plain(formatRatio(row['rvol'])) },
];

/** `gappers_up` -> `Gappers up`. */
export function listTitle(list: ScannerList): string {
  const words = list.split('_').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
