/** Stable machine codes for everything the calendar refuses. */
export type CalendarErrorCode =
  | 'INVALID_DATE'
  | 'INVALID_TIME'
  | 'INVALID_INSTANT'
  | 'INVALID_RANGE'
  | 'INVALID_ARGUMENT'
  | 'OUT_OF_RANGE'
  | 'NOT_A_TRADING_DAY';

export class CalendarError extends Error {
  override readonly name = 'CalendarError';

  constructor(
    readonly code: CalendarErrorCode,
    message: string,
  ) {
    super(message);
  }
}
