import {
  type DecodeError,
  type RankingDelta,
  type Result,
  type ScannerList,
  type ScannerRow,
  err,
  isIsoInstant,
  isScannerList,
  ok,
  parseJson,
  quote,
  validateRankingDeltas,
  validateScannerRows,
} from '@scanner/shared-types';
import { checkedEncoding } from './value-codec.js';
import { parseWholeText } from './number-text.js';

/** A full list, as upstream writes one after a restart or a reset (DESIGN 4.2). */
export interface SnapshotStreamEntry {
  readonly type: 'snapshot';
  readonly list: ScannerList;
  readonly sequence: number;
  readonly rows: readonly ScannerRow[];
  readonly timestamp: string;
  readonly count: number;
}

/** The changes that take a list from `sequence - 1` to `sequence`. */
export interface DeltaStreamEntry {
  readonly type: 'delta';
  readonly list: ScannerList;
  readonly sequence: number;
  readonly deltas: readonly RankingDelta[];
  readonly timestamp: string;
  readonly change_count: number;
}

export type RankingStreamEntry = SnapshotStreamEntry | DeltaStreamEntry;

export type RankingStreamErrorCode =
  | 'INVALID_ENTRY'
  | 'UNKNOWN_TYPE'
  | 'UNKNOWN_LIST'
  | 'INVALID_SEQUENCE'
  | 'INVALID_JSON'
  | 'INVALID_ROWS'
  | 'INVALID_DELTAS'
  | 'INVALID_TIMESTAMP'
  | 'INVALID_COUNT';

export type RankingStreamError = DecodeError<RankingStreamErrorCode>;

type Failure = { readonly ok: false; readonly error: RankingStreamError };

const fail = (code: RankingStreamErrorCode, message: string, path?: string): Failure =>
  err(path === undefined ? { code, message } : { code, message, path });

/** The XADD field list: `type <t> list <l> sequence <n> rows|deltas <json> timestamp <iso> count|change_count <n>`. */
export function encodeRankingStreamEntry(entry: RankingStreamEntry): string[] {
  const [body, bodyJson, counter, n] =
    entry.type === 'snapshot'
      ? ['rows', JSON.stringify(entry.rows), 'count', entry.count]
      : ['deltas', JSON.stringify(entry.deltas), 'change_count', entry.change_count];
  const fields = ['type', entry.type, 'list', entry.list, 'sequence', String(entry.sequence), body, bodyJson];
  fields.push('timestamp', entry.timestamp, counter, String(n));
  return checkedEncoding(fields, decodeRankingStreamEntry, `a ${entry.type} entry`);
}

function fieldMap(fields: readonly unknown[]): Result<ReadonlyMap<string, string>, RankingStreamError> {
  if (!Array.isArray(fields) || fields.length % 2 !== 0) {
    return fail('INVALID_ENTRY', 'expected a flat list of field names and values');
  }
  const map = new Map<string, string>();
  for (let i = 0; i < fields.length; i += 2) {
    const name: unknown = fields[i];
    const value: unknown = fields[i + 1];
    if (typeof name !== 'string' || typeof value !== 'string') return fail('INVALID_ENTRY', `field ${i / 2} is not text`);
    if (map.has(name)) return fail('INVALID_ENTRY', `field ${quote(name)} appears twice`, name);
    map.set(name, value);
  }
  return ok(map);
}

function required(map: ReadonlyMap<string, string>, name: string): Result<string, RankingStreamError> {
  const value = map.get(name);
  return value === undefined ? fail('INVALID_ENTRY', `field ${quote(name)} is missing`, name) : ok(value);
}

/** The JSON payload field, validated; its validator's own code (INVALID_ROWS / INVALID_DELTAS) is kept. */
function payload<T>(
  map: ReadonlyMap<string, string>,
  name: string,
  validate: (value: unknown) => Result<T, DecodeError<'INVALID_ROWS' | 'INVALID_DELTAS'>>,
): Result<T, RankingStreamError> {
  const text = required(map, name);
  if (!text.ok) return text;
  const parsed = parseJson(text.value);
  if (!parsed.ok) return fail('INVALID_JSON', `${name}: ${parsed.error.message}`, name);
  const checked = validate(parsed.value);
  if (checked.ok) return checked;
  const { code, message, path } = checked.error;
  return path === undefined ? fail(code, `${name}: ${message}`, name) : fail(code, `${name}.${message}`, `${name}.${path}`);
}

function count(map: ReadonlyMap<string, string>, name: string, expected: number): Result<number, RankingStreamError> {
  const text = required(map, name);
  if (!text.ok) return text;
  const value = parseWholeText(text.value);
  if (value === null) return fail('INVALID_COUNT', `${name} must be a whole number, got ${quote(text.value)}`, name);
  if (value !== expected) return fail('INVALID_COUNT', `${name} is ${value} but the entry holds ${expected}`, name);
  return ok(value);
}

/**
 * Reads one stream entry from its field list as ioredis returns it (XRANGE / XREAD). Unknown extra
 * fields are ignored, so upstream can add one without breaking readers; the known ones must all be right.
 */
export function decodeRankingStreamEntry(fields: readonly string[]): Result<RankingStreamEntry, RankingStreamError> {
  const mapped = fieldMap(fields);
  if (!mapped.ok) return mapped;
  const map = mapped.value;

  const type = required(map, 'type');
  if (!type.ok) return type;
  if (type.value !== 'snapshot' && type.value !== 'delta') {
    return fail('UNKNOWN_TYPE', `type must be snapshot or delta, got ${quote(type.value)}`, 'type');
  }
  const list = required(map, 'list');
  if (!list.ok) return list;
  if (!isScannerList(list.value)) return fail('UNKNOWN_LIST', `unknown list ${quote(list.value)}`, 'list');

  const sequenceText = required(map, 'sequence');
  if (!sequenceText.ok) return sequenceText;
  const sequence = parseWholeText(sequenceText.value);
  if (sequence === null || sequence === 0) {
    return fail('INVALID_SEQUENCE', `sequence must be a positive integer, got ${quote(sequenceText.value)}`, 'sequence');
  }

  const timestamp = required(map, 'timestamp');
  if (!timestamp.ok) return timestamp;
  if (!isIsoInstant(timestamp.value)) {
    return fail('INVALID_TIMESTAMP', `timestamp must be an ISO 8601 instant, got ${quote(timestamp.value)}`, 'timestamp');
  }

  if (type.value === 'snapshot') {
    const rows = payload(map, 'rows', validateScannerRows);
    if (!rows.ok) return rows;
    const n = count(map, 'count', rows.value.length);
    if (!n.ok) return n;
    return ok({
      type: 'snapshot',
      list: list.value,
      sequence,
      rows: rows.value,
      timestamp: timestamp.value,
      count: n.value,
    });
  }
  const deltas = payload(map, 'deltas', validateRankingDeltas);
  if (!deltas.ok) return deltas;
  const n = count(map, 'change_count', deltas.value.length);
  if (!n.ok) return n;
  return ok({
    type: 'delta',
    list: list.value,
    sequence,
    deltas: deltas.value,
    timestamp: timestamp.value,
    change_count: n.value,
  });
}
