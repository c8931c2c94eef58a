/** Stable machine codes for everything this library refuses to build or write. */
export type RedisKeyErrorCode =
  | 'INVALID_PREFIX'
  | 'INVALID_SYMBOL'
  | 'UNKNOWN_LIST'
  | 'INVALID_DATE'
  | 'INVALID_ARGUMENT'
  | 'INVALID_VALUE';

/**
 * Thrown for a key part or a value to write that is wrong. These come from this process, not from
 * another one, so a bad one is a bug to surface at once; decoders of what Redis holds return Results.
 */
export class RedisKeyError extends Error {
  override readonly name = 'RedisKeyError';

  constructor(
    readonly code: RedisKeyErrorCode,
    message: string,
  ) {
    super(message);
  }
}
