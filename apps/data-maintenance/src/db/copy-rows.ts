import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteIdent } from './identifiers.js';

export type CopyValue = string | number | boolean | Date | null;

/** Rows per chunk written to the COPY stream: big enough to amortise, small enough not to buffer a market. */
const ROWS_PER_CHUNK = 2_000;

/**
 * Bulk-loads rows with `COPY table (columns) FROM STDIN` in text format. Callers validate numbers
 * first (a NaN would be written as the text "NaN", which float8 accepts). Returns the rows copied.
 */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<number> {
  const stream = client.query(
    copyFrom(`COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`),
  );
  await pipeline(Readable.from(chunks(rows)), stream);
  return stream.rowCount;
}

function* chunks(rows: Iterable<readonly CopyValue[]>): Generator<string> {
  let buffer: string[] = [];
  for (const row of rows) {
    buffer.push(row.map(encode).join('\t'));
    if (buffer.length >= ROWS_PER_CHUNK) {
      yield buffer.join('\n') + '\n';
      buffer = [];
    }
  }
  if (buffer.length > 0) yield buffer.join('\n') + '\n';
}

function encode(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  // COPY text format: backslash escapes for the delimiter, line breaks and the backslash itself.
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
