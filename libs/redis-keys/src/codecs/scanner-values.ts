import { type Result, type ScannerRow, err, ok, quote, validateScannerRows } from '@scanner/shared-types';
import { parseWholeText } from './number-text.js';
import { type ValueDecodeError, checkedEncoding, decodeJsonText, encodeCheckedJson, missing } from './value-codec.js';

/** `scanner:category:<list>`: the JSON rows. */
export function encodeScannerRows(rows: readonly ScannerRow[]): string {
  return encodeCheckedJson(rows, validateScannerRows, 'scanner rows');
}

export function decodeScannerRows(text: string | null): Result<ScannerRow[], ValueDecodeError> {
  return decodeJsonText(text, 'the list', validateScannerRows);
}

/** `scanner:sequence:<list>`: a positive integer as text (upstream starts again at 1 after a restart). */
export function encodeSequence(sequence: number): string {
  return checkedEncoding(String(sequence), decodeSequence, 'a sequence');
}

export function decodeSequence(text: string | null): Result<number, ValueDecodeError> {
  if (text === null || text === undefined) return missing('the sequence');
  const sequence = parseWholeText(text);
  if (sequence === null || sequence === 0) {
    return err({ code: 'INVALID_VALUE', message: `expected a positive integer, got ${quote(text)}` });
  }
  return ok(sequence);
}
