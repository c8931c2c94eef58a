import { type IsoDate, isValidIsoDate } from '@scanner/market-calendar';
import { type Result, err, ok, quote } from '@scanner/shared-types';
import { type ValueDecodeError, checkedEncoding, missing } from './value-codec.js';

/** `trading:current_day` and `maintenance:last_run`: a bare YYYY-MM-DD. */
export function encodeTradingDate(date: IsoDate): string {
  return checkedEncoding(date, decodeTradingDate, 'a trading date');
}

export function decodeTradingDate(text: string | null): Result<IsoDate, ValueDecodeError> {
  if (text === null || text === undefined) return missing('the date');
  return isValidIsoDate(text)
    ? ok(text)
    : err({ code: 'INVALID_VALUE', message: `expected a date as YYYY-MM-DD, got ${quote(text)}` });
}
