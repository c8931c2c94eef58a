import { join } from 'node:path';
import { parseIsoDate } from '@scanner/market-calendar';

/** Polygon's flat-file layout under the root directory (the S3 bucket's key layout, mirrored). */

export type FlatFileKind = 'day_aggs_v1' | 'minute_aggs_v1';

export function flatFilePath(root: string, kind: FlatFileKind, date: string): string {
  parseIsoDate(date);
  const [year, month] = date.split('-') as [string, string];
  return join(root, 'us_stocks_sip', kind, year, month, `${date}.csv.gz`);
}

export function tickerReferencePath(root: string): string {
  return join(root, 'reference', 'tickers.json');
}
