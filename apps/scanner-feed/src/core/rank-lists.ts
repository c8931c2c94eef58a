import type { ScannerList, ScannerRow } from '@scanner/shared-types';
import type { Market } from './market.js';
import { LIST_RULES } from './list-rules.js';
import { type TickerQuote, quoteOf } from './ticker-quote.js';

export type Rankings = ReadonlyMap<ScannerList, readonly ScannerRow[]>;

/** Each list's top `rowsPerList` rows, ranked 1..n; a list with fewer qualifying tickers is shorter. */
export function rankLists(market: Market, lists: readonly ScannerList[], rowsPerList: number): Rankings {
  const quotes = market.tickers.map(quoteOf);
  return new Map(lists.map((list) => [list, rankList(quotes, list, rowsPerList)]));
}

function rankList(quotes: readonly TickerQuote[], list: ScannerList, rowsPerList: number): ScannerRow[] {
  const rule = LIST_RULES[list];
  return quotes
    .filter(rule.qualifies)
    .map((quote) => ({ quote, score: rule.score(quote) }))
    .sort((a, b) => b.score - a.score || (a.quote.symbol < b.quote.symbol ? -1 : 1))
    .slice(0, rowsPerList)
    .map(({ quote }, index) => {
      // symbol, rank, timestamp first, as upstream lists them; the spread keeps that key order.
      const { symbol, timestamp, ...fields } = quote;
      return { symbol, rank: index + 1, timestamp, ...fields };
    });
}
