// Redis stores numbers as text; `Number()` alone would read '', ' 1', '0x10' and 'Infinity' as numbers.
const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const WHOLE = /^(?:0|[1-9]\d*)$/;

/** A finite number as JavaScript's String() or Python's str() writes it; null for anything else. */
export function parseDecimalText(text: unknown): number | null {
  if (typeof text !== 'string' || !DECIMAL.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** A non-negative safe integer written without sign, leading zeros or exponent; null for anything else. */
export function parseWholeText(text: unknown): number | null {
  if (typeof text !== 'string' || !WHOLE.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}
