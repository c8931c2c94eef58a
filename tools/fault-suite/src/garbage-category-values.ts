import type { ScannerRow } from '@scanner/shared-types';
import { DEEP_NESTING } from './garbage-stream-entries.js';

/** A value for scanner:category:<L> or scanner:sequence:<L> that the server must refuse to serve. */
export interface GarbageKeyValue {
  readonly name: string;
  readonly key: 'category' | 'sequence';
  readonly value: string;
  /** SnapshotLoadError's code for it. */
  readonly code: 'INVALID_ROWS' | 'INVALID_SEQUENCE';
}

/** Garbage around valid `rows`: bad JSON, wrong shapes, numbers and sizes no upstream writes. */
export function garbageKeyValues(rows: readonly ScannerRow[]): GarbageKeyValue[] {
  const top = rows[0];
  if (top === undefined) throw new Error('garbageKeyValues needs rows');
  const valid = JSON.stringify(rows);
  const category = (name: string, value: string): GarbageKeyValue => ({ name, key: 'category', value, code: 'INVALID_ROWS' });
  const sequence = (name: string, value: string): GarbageKeyValue => ({ name, key: 'sequence', value, code: 'INVALID_SEQUENCE' });
  const withTop = (raw: string) => JSON.stringify([{ ...top, price: '\u0000RAW\u0000' }, ...rows.slice(1)]).replace('"\\u0000RAW\\u0000"', raw);
  return [
    category('not JSON', 'not json'),
    category('empty text', ''),
    category('truncated JSON', valid.slice(0, Math.floor(valid.length / 2))),
    category('an object', JSON.stringify({ rows })),
    category('a string', '"winners"'),
    category('null', 'null'),
    category('numbers', '[1,2,3]'),
    category('rows without symbols', JSON.stringify(rows.map(({ symbol: _s, ...rest }) => rest))),
    category('rank 0', JSON.stringify([{ ...top, rank: 0 }])),
    category('rank 1e300', JSON.stringify([{ ...top, rank: 1e300 }])),
    category('the same symbol twice', JSON.stringify([top, { ...top, rank: 2 }])),
    category('a number beyond a double', withTop('1e400')),
    category('nesting past the encoder', withTop('['.repeat(DEEP_NESTING) + ']'.repeat(DEEP_NESTING))),
    category('2 MB of junk', `[${'x'.repeat(2 * 1024 * 1024)}]`),
    // Kept at 5,000: zod collects an issue per bad row, and 200,000 of them hold the event loop for seconds.
    category('5,000 rows of the wrong shape', JSON.stringify(Array.from({ length: 5_000 }, (_, i) => ({ s: i })))),
    sequence('not a number', 'abc'),
    sequence('zero', '0'),
    sequence('negative', '-5'),
    sequence('fraction', '1.5'),
    sequence('beyond 2^53', '99999999999999999999'),
  ];
}
