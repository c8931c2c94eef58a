import { type Result, validateWith } from '@scanner/shared-types';
import { z } from 'zod';
import { type ValueDecodeError, decodeJsonText, encodeCheckedJson } from './value-codec.js';

/** One ticker of a market snapshot; the market fields are upstream's and carried as they are. */
export interface SnapshotTicker {
  readonly ticker: string;
  readonly [field: string]: unknown;
}

/** `snapshot:polygon:latest` and `snapshot:enriched:latest`. */
export interface MarketSnapshot {
  readonly count: number;
  readonly tickers: readonly SnapshotTicker[];
  /** As upstream writes it: ISO text or epoch number. */
  readonly timestamp: string | number;
}

// `ticker` is only required to be text: a snapshot holds every listing Polygon has, and one odd name
// must not make the whole snapshot unreadable; key builders check symbols where keys are made.
const schema = z
  .object({
    count: z.int().nonnegative(),
    tickers: z.array(z.looseObject({ ticker: z.string().min(1) })),
    timestamp: z.union([z.string().min(1), z.number()]),
  })
  .refine((s) => s.count === s.tickers.length, { path: ['count'], error: 'count differs from the number of tickers' });

const validate = (value: unknown) => validateWith<MarketSnapshot, 'INVALID_VALUE'>(schema, value, 'INVALID_VALUE');

export function encodeMarketSnapshot(snapshot: MarketSnapshot): string {
  const ordered = { count: snapshot.count, tickers: snapshot.tickers, timestamp: snapshot.timestamp };
  return encodeCheckedJson(ordered, validate, 'a market snapshot');
}

export function decodeMarketSnapshot(text: string | null): Result<MarketSnapshot, ValueDecodeError> {
  return decodeJsonText(text, 'the snapshot', validate);
}
