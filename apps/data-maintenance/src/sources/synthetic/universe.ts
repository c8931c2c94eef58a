/**
 * The synthetic ticker universe. Symbols depend only on their index (never on the seed), so a universe
 * of N tickers is the first N of any larger one: growing the universe adds tickers and keeps the old
 * ones, which is how a test makes "a new ticker appeared".
 */

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const SYMBOL_LENGTH = 4;
/** 26^4 distinct four-letter symbols. */
export const MAX_SYNTHETIC_UNIVERSE = LETTERS.length ** SYMBOL_LENGTH;
// An odd multiplier not divisible by 13 is coprime with 26^4 = 2^4 * 13^4, so index -> code is a
// bijection and consecutive indices spread over the alphabet instead of reading AAAA, AAAB, ...
const STRIDE = 7919;
const OFFSET = 270_001;

export function syntheticSymbol(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_SYNTHETIC_UNIVERSE) {
    throw new RangeError(`synthetic ticker index must be an integer 0-${MAX_SYNTHETIC_UNIVERSE - 1}, got ${index}`);
  }
  let code = (index * STRIDE + OFFSET) % MAX_SYNTHETIC_UNIVERSE;
  let symbol = '';
  for (let i = 0; i < SYMBOL_LENGTH; i++) {
    symbol = LETTERS[code % LETTERS.length] + symbol;
    code = Math.floor(code / LETTERS.length);
  }
  return symbol;
}

/** The first `size` synthetic symbols, in index order. */
export function syntheticSymbols(size: number): string[] {
  if (!Number.isInteger(size) || size < 1 || size > MAX_SYNTHETIC_UNIVERSE) {
    throw new RangeError(`synthetic universe size must be an integer 1-${MAX_SYNTHETIC_UNIVERSE}, got ${size}`);
  }
  return Array.from({ length: size }, (_, i) => syntheticSymbol(i));
}

/** The display name of the ticker at `index`: says it is synthetic wherever it shows. */
export function syntheticName(index: number): string {
  return `Synthetic Holdings ${String(index).padStart(4, '0')}`;
}
