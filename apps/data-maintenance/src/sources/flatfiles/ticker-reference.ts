import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { SourceError, type TickerDetails } from '../market-data-source.js';
import { sectorOfSic } from '../polygon/sic-sectors.js';

/**
 * Flat files carry no reference data, so ticker details come from an optional
 * `<root>/reference/tickers.json`: a JSON array of objects, one per symbol, with Polygon's field names:
 *
 *   [{ "symbol": "AAPL", "name": "Apple Inc.", "market_cap": 3.1e12, "sector": "Technology",
 *      "industry": "Electronic Computers", "sic_code": "3571", "float_shares": 1.49e10,
 *      "shares_outstanding": 1.5e10, "exchange": "XNAS", "type": "CS", "active": true }]
 *
 * Only `symbol` is required; a missing field is null (`active` defaults to true). When `sector` is
 * absent and `sic_code` is given, the sector comes from the SIC table, as for Polygon.
 */

const nullableNumber = z.number().finite().nonnegative().nullable().optional();
const nullableText = z.string().nullable().optional();

const entrySchema = z.object({
  symbol: z.string().min(1),
  name: nullableText,
  market_cap: nullableNumber,
  sector: nullableText,
  industry: nullableText,
  sic_code: nullableText,
  float_shares: nullableNumber,
  shares_outstanding: nullableNumber,
  exchange: nullableText,
  type: nullableText,
  active: z.boolean().optional(),
});

export const tickerReferenceSchema = z.array(entrySchema);
export type TickerReferenceEntry = z.input<typeof entrySchema>;

/** The reference file's details by symbol, or null when there is no such file. */
export async function readTickerReference(path: string): Promise<Map<string, TickerDetails> | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SourceError('INVALID_RESPONSE', `ticker reference ${path} cannot be read: ${(error as Error).message}`, 1, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SourceError('INVALID_RESPONSE', `ticker reference ${path} is not JSON: ${(error as Error).message}`, 1, { cause: error });
  }
  const parsed = tickerReferenceSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SourceError('INVALID_RESPONSE', `ticker reference ${path} has the wrong shape at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`);
  }
  const out = new Map<string, TickerDetails>();
  for (const entry of parsed.data) {
    const fromSic = entry.sic_code ? sectorOfSic(entry.sic_code) : null;
    out.set(entry.symbol, {
      symbol: entry.symbol,
      name: entry.name ?? null,
      marketCap: entry.market_cap ?? null,
      sector: entry.sector ?? fromSic,
      industry: entry.industry ?? null,
      floatShares: entry.float_shares ?? null,
      sharesOutstanding: entry.shares_outstanding ?? null,
      exchange: entry.exchange ?? null,
      type: entry.type ?? null,
      active: entry.active ?? true,
    });
  }
  return out;
}
