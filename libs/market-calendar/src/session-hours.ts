/** Session boundaries in minutes after New York midnight. */
export const PRE_MARKET_OPEN_MINUTE = 4 * 60;
export const MARKET_OPEN_MINUTE = 9 * 60 + 30;
export const MARKET_CLOSE_MINUTE = 16 * 60;
export const EARLY_MARKET_CLOSE_MINUTE = 13 * 60;
export const POST_MARKET_CLOSE_MINUTE = 20 * 60;
export const EARLY_POST_MARKET_CLOSE_MINUTE = 17 * 60;

export const SLOT_MINUTES = 5;
/** 09:30-16:00 in five-minute slots. */
export const FULL_DAY_SLOTS = (MARKET_CLOSE_MINUTE - MARKET_OPEN_MINUTE) / SLOT_MINUTES;
/** 09:30-13:00 in five-minute slots. */
export const EARLY_CLOSE_DAY_SLOTS = (EARLY_MARKET_CLOSE_MINUTE - MARKET_OPEN_MINUTE) / SLOT_MINUTES;

export type MarketSession = 'PRE_MARKET' | 'MARKET_OPEN' | 'POST_MARKET' | 'CLOSED';
