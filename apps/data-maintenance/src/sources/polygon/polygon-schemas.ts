import { z } from 'zod';

/**
 * The response shapes the client relies on (Polygon/Massive REST v2/v3), validated so a changed or
 * damaged body becomes INVALID_RESPONSE instead of NaN prices. Unknown fields are ignored; fields the
 * API documents as optional (vw, n) may be missing.
 */

const price = z.number().finite().nonnegative();
const count = z.number().finite().nonnegative();
const optionalNumber = z.number().finite().nullable().optional();

const aggregateBar = z.object({
  o: price,
  h: price,
  l: price,
  c: price,
  v: count,
  vw: optionalNumber,
  n: optionalNumber,
  t: z.number().int(),
});

/** `GET /v2/aggs/grouped/locale/us/market/stocks/{date}`: results absent when resultsCount is 0. */
export const groupedDailySchema = z.object({
  status: z.string(),
  resultsCount: z.number().int().nonnegative().optional(),
  results: z.array(aggregateBar.extend({ T: z.string().min(1) })).nullable().optional(),
});

/** `GET /v2/aggs/ticker/{T}/range/5/minute/{from}/{to}`: `next_url` while more pages remain. */
export const aggregatesSchema = z.object({
  status: z.string(),
  resultsCount: z.number().int().nonnegative().optional(),
  results: z.array(aggregateBar).nullable().optional(),
  next_url: z.string().nullable().optional(),
});

/** `GET /v3/reference/tickers/{T}` */
export const tickerDetailsSchema = z.object({
  status: z.string(),
  results: z.object({
    ticker: z.string().min(1),
    name: z.string().nullable().optional(),
    market_cap: optionalNumber,
    share_class_shares_outstanding: optionalNumber,
    weighted_shares_outstanding: optionalNumber,
    primary_exchange: z.string().nullable().optional(),
    type: z.string().nullable().optional(),
    active: z.boolean().nullable().optional(),
    sic_code: z.string().nullable().optional(),
    sic_description: z.string().nullable().optional(),
  }),
});

/** `GET /stocks/vX/float?ticker={T}` */
export const floatSchema = z.object({
  status: z.string(),
  results: z
    .array(z.object({ ticker: z.string().optional(), free_float: optionalNumber }))
    .nullable()
    .optional(),
});

export type AggregatesResponse = z.infer<typeof aggregatesSchema>;
