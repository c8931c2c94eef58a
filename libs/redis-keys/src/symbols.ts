/** Longer than any US listing (the longest are warrant and unit suffixes on five-letter roots). */
export const MAX_SYMBOL_LENGTH = 20;

/**
 * Letters, digits, `.` and `-`: AAPL, BRK.A, BRK-B, BACpB (Polygon's lowercase `p` preferreds), ACAHW.
 * What it keeps out is what would break a key: `:` (the namespace separator), whitespace, and the
 * glob characters of SCAN patterns. Case is kept; `BACpB` and `BACPB` are different tickers.
 */
const SYMBOL = new RegExp(`^[A-Za-z0-9][A-Za-z0-9.-]{0,${MAX_SYMBOL_LENGTH - 1}}$`);

export function isValidSymbol(value: unknown): value is string {
  return typeof value === 'string' && SYMBOL.test(value);
}
