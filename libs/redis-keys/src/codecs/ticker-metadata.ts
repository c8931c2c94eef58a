import { type Result, isIsoInstant, validateWith } from '@scanner/shared-types';
import { z } from 'zod';
import { isValidSymbol } from '../symbols.js';
import { type ValueDecodeError, decodeJsonText, encodeCheckedJson } from './value-codec.js';

/**
 * `metadata:ticker:<SYM>`. Every field but `symbol` and `updated_at` is null when the source has no
 * value (a fresh listing has no float, an ETF no sector): present and null, never left out, so a
 * reader can tell "unknown" from a record of another shape.
 */
export interface TickerMetadata {
  readonly symbol: string;
  readonly name: string | null;
  readonly market_cap: number | null;
  readonly sector: string | null;
  readonly industry: string | null;
  readonly float_shares: number | null;
  readonly shares_outstanding: number | null;
  readonly exchange: string | null;
  /** Polygon's security type: CS, ETF, PFD, WARRANT, ... */
  readonly type: string | null;
  readonly updated_at: string;
}

const amount = z.number().nonnegative().nullable();

const schema = z.object({
  symbol: z.string().refine(isValidSymbol, { error: 'not a ticker symbol' }),
  name: z.string().nullable(),
  market_cap: amount,
  sector: z.string().nullable(),
  industry: z.string().nullable(),
  float_shares: amount,
  shares_outstanding: amount,
  exchange: z.string().nullable(),
  type: z.string().nullable(),
  updated_at: z.string().refine(isIsoInstant, { error: 'expected an ISO 8601 instant' }),
});

const validate = (value: unknown) => validateWith<TickerMetadata, 'INVALID_VALUE'>(schema, value, 'INVALID_VALUE');

/** The JSON text, fields in the seed's order and nothing else. */
export function encodeTickerMetadata(m: TickerMetadata): string {
  const ordered: TickerMetadata = {
    symbol: m.symbol,
    name: m.name,
    market_cap: m.market_cap,
    sector: m.sector,
    industry: m.industry,
    float_shares: m.float_shares,
    shares_outstanding: m.shares_outstanding,
    exchange: m.exchange,
    type: m.type,
    updated_at: m.updated_at,
  };
  return encodeCheckedJson(ordered, validate, `metadata of ${String(m.symbol)}`);
}

/** Fields beyond the ten are dropped. */
export function decodeTickerMetadata(text: string | null): Result<TickerMetadata, ValueDecodeError> {
  return decodeJsonText(text, 'the metadata', validate);
}
