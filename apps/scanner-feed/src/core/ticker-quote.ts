import type { MarketSession } from '@scanner/market-calendar';
import type { TickerState } from './market.js';

/** A ticker's row fields as the scanner publishes them: rounded as a quote screen shows them. */
export interface TickerQuote {
  readonly symbol: string;
  /** ISO instant of the last trade: when this row's data was produced. */
  readonly timestamp: string;
  readonly price: number;
  readonly change: number;
  readonly change_percent: number;
  readonly gap_percent: number;
  readonly change_from_open_percent: number;
  readonly momentum_percent: number;
  readonly open: number;
  readonly prev_close: number;
  readonly day_high: number;
  readonly day_low: number;
  readonly volume: number;
  readonly avg_volume: number;
  readonly rvol: number;
  readonly session: MarketSession;
}

/** Sub-dollar prices quote to four decimals, the rest to cents, as the exchanges do. */
function roundPrice(price: number): number {
  return price < 1 ? round(price, 4) : round(price, 2);
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // `+ 0` turns -0 into 0, which JSON would write as 0 anyway and equality checks would trip on.
  return Math.round(value * factor) / factor + 0;
}

const percent = (value: number, base: number): number => round((value / base - 1) * 100, 2);

/** Derived from the rounded prices, so a row's fields agree with each other to the cent. */
export function quoteOf(t: TickerState): TickerQuote {
  const price = roundPrice(t.price);
  const prevClose = roundPrice(t.prevClose);
  const open = roundPrice(t.open);
  return {
    symbol: t.profile.symbol,
    timestamp: new Date(t.tradedAt).toISOString(),
    price,
    change: round(price - prevClose, 4),
    change_percent: percent(price, prevClose),
    gap_percent: percent(open, prevClose),
    change_from_open_percent: percent(price, open),
    momentum_percent: percent(t.price, t.averagePrice),
    open,
    prev_close: prevClose,
    day_high: roundPrice(t.dayHigh),
    day_low: roundPrice(t.dayLow),
    volume: t.volume,
    avg_volume: t.profile.avgVolume,
    rvol: round(t.rvol, 2),
    session: t.session,
  };
}
