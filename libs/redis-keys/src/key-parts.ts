import { type IsoDate, parseIsoDate } from '@scanner/market-calendar';
import { SCANNER_LISTS, type ScannerList, isScannerList, quote } from '@scanner/shared-types';
import { RedisKeyError } from './redis-key-error.js';
import { isValidSymbol } from './symbols.js';

// Checks on every variable part of a key, so that no key built here can collide with or escape another.

export const MAX_PREFIX_LENGTH = 128;

// Printable ASCII without space, the SCAN glob characters and the glob escape, so that a prefix can be
// put in front of a pattern as it is.
const PREFIX = /^[\x21-\x29\x2B-\x3E\x40-\x5A\x5E-\x7E]*$/;

const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

export function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string' || prefix.length > MAX_PREFIX_LENGTH || !PREFIX.test(prefix)) {
    throw new RedisKeyError(
      'INVALID_PREFIX',
      `a key prefix is up to ${MAX_PREFIX_LENGTH} printable ASCII characters without whitespace or * ? [ ] \\, ` +
        `got ${quote(prefix)}`,
    );
  }
  return prefix;
}

export function checkSymbol(symbol: unknown): string {
  if (!isValidSymbol(symbol)) {
    throw new RedisKeyError('INVALID_SYMBOL', `not a ticker symbol: ${quote(symbol)}`);
  }
  return symbol;
}

export function checkList(list: unknown): ScannerList {
  if (!isScannerList(list)) {
    throw new RedisKeyError('UNKNOWN_LIST', `unknown list ${quote(list)}; expected one of ${SCANNER_LISTS.join(', ')}`);
  }
  return list;
}

export function checkDate(date: unknown): IsoDate {
  try {
    parseIsoDate(date);
  } catch (error) {
    throw new RedisKeyError('INVALID_DATE', error instanceof Error ? error.message : String(error));
  }
  // parseIsoDate accepts strings only.
  return date as IsoDate;
}

export function checkToken(token: unknown): string {
  if (typeof token !== 'string' || !TOKEN.test(token)) {
    throw new RedisKeyError('INVALID_ARGUMENT', `a temporary-key token is 1-64 of A-Z a-z 0-9 _ -, got ${quote(token)}`);
  }
  return token;
}
