/** Stable machine codes for the pure core's input errors. */
export const CORE_ERROR_CODES = [
  /** A bar with a non-finite or negative number, or high below low. */
  'INVALID_BAR',
  /** Daily bars not in ascending date order, or two bars for one date. */
  'UNORDERED_BARS',
  /** Two intraday bars with the same start instant. */
  'DUPLICATE_BARS',
  /** An argument outside its domain (a period below 1, a negative retention, a bad date). */
  'INVALID_ARGUMENT',
] as const;
export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];

export class CoreError extends Error {
  constructor(
    readonly code: CoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}
