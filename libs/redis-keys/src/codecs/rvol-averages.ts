import { FULL_DAY_SLOTS } from '@scanner/market-calendar';
import { type Result, err, ok, quote } from '@scanner/shared-types';
import { readHashReply } from './hash-fields.js';
import { parseDecimalText, parseWholeText } from './number-text.js';
import { type ValueDecodeError, checkedEncoding } from './value-codec.js';

/**
 * `rvol:hist:avg:<SYM>`: slot index (0 = 09:30-09:35, 77 = 15:55-16:00) to the average cumulative volume
 * at the end of that slot. Slots can be missing (a ticker that never traded that early); the map holds
 * the ones present, in slot order.
 */
export type RvolAverages = ReadonlyMap<number, number>;

/** The HSET field map; empty is refused, since HSET cannot write it and a reader would see no key. */
export function encodeRvolAverages(averages: RvolAverages): Record<string, string> {
  const hash: Record<string, string> = {};
  for (const [slot, volume] of averages) hash[String(slot)] = String(volume);
  return checkedEncoding(hash, decodeRvolAverages, 'RVOL averages');
}

/** From an HGETALL reply; a field that is not a slot of a full session is refused, not skipped. */
export function decodeRvolAverages(hash: Readonly<Record<string, string>>): Result<Map<number, number>, ValueDecodeError> {
  const read = readHashReply(hash, 'the RVOL hash');
  if (!read.ok) return read;
  const entries: Array<[number, number]> = [];
  for (const [field, text] of Object.entries(read.value)) {
    const slot = parseWholeText(field);
    if (slot === null || slot >= FULL_DAY_SLOTS) {
      const message = `field ${quote(field)} is not a slot 0-${FULL_DAY_SLOTS - 1}`;
      return err({ code: 'INVALID_VALUE', message, path: field });
    }
    const volume = parseDecimalText(text);
    if (volume === null || volume < 0) {
      const message = `slot ${slot}: expected a volume >= 0, got ${quote(text)}`;
      return err({ code: 'INVALID_VALUE', message, path: field });
    }
    entries.push([slot, volume]);
  }
  return ok(new Map(entries.sort(([a], [b]) => a - b)));
}
