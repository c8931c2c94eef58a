import { type IsoDate, isValidIsoDate } from '@scanner/market-calendar';
import { type Result, err, ok, quote } from '@scanner/shared-types';
import { readHashReply } from './hash-fields.js';
import { parseDecimalText } from './number-text.js';
import { type ValueDecodeError, checkedEncoding } from './value-codec.js';

/** `atr:data:<SYM>`: ATR(14) of one ticker. */
export interface AtrData {
  readonly atr: number;
  /** atr / close * 100 */
  readonly atr_percent: number;
  /** The session the ATR was computed through. */
  readonly date: IsoDate;
}

/** The HSET field map. */
export function encodeAtrData(data: AtrData): Record<string, string> {
  const hash = { atr: String(data.atr), atr_percent: String(data.atr_percent), date: data.date };
  return checkedEncoding(hash, decodeAtrData, 'ATR data');
}

/** From an HGETALL reply; fields other than the three are ignored. */
export function decodeAtrData(hash: Readonly<Record<string, string>>): Result<AtrData, ValueDecodeError> {
  const read = readHashReply(hash, 'the ATR hash');
  if (!read.ok) return read;
  const fields = read.value;
  const atr = parseDecimalText(fields['atr']);
  const atrPercent = parseDecimalText(fields['atr_percent']);
  const date = fields['date'];
  if (atr === null || atr < 0) return invalid('atr', fields['atr']);
  if (atrPercent === null || atrPercent < 0) return invalid('atr_percent', fields['atr_percent']);
  if (!isValidIsoDate(date)) return invalid('date', date);
  return ok({ atr, atr_percent: atrPercent, date });
}

function invalid(field: string, value: string | undefined): { readonly ok: false; readonly error: ValueDecodeError } {
  const expected = field === 'date' ? 'a date' : 'a number >= 0';
  const got = value === undefined ? 'nothing' : quote(value);
  return err({ code: 'INVALID_VALUE', message: `${field}: expected ${expected}, got ${got}`, path: field });
}
