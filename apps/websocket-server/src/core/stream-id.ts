/** A Redis stream entry id `<ms>-<seq>`, both parts unsigned 64-bit; null when the text is not one. */
function parse(id: string): readonly [bigint, bigint] | null {
  const match = /^(\d+)-(\d+)$/.exec(id);
  if (match?.[1] === undefined || match[2] === undefined) return null;
  return [BigInt(match[1]), BigInt(match[2])];
}

/**
 * Orders two stream ids as Redis does (by time part, then sequence part). Plain string comparison is
 * wrong ("9-0" > "10-0") and Number loses precision past 2^53, hence bigint. Throws on a non-id: the
 * ids compared come from Redis, so a bad one is a bug, not input.
 */
export function compareStreamIds(a: string, b: string): -1 | 0 | 1 {
  const x = parse(a);
  const y = parse(b);
  if (x === null || y === null) throw new Error(`not a stream id: ${x === null ? a : b}`);
  if (x[0] !== y[0]) return x[0] < y[0] ? -1 : 1;
  if (x[1] !== y[1]) return x[1] < y[1] ? -1 : 1;
  return 0;
}

/** What XINFO STREAM says about the stream (Redis 7), read in one atomic step. */
export interface StreamCounters {
  /** entries-added: every entry ever added, trimmed or not. */
  readonly added: number;
  /** The newest id ever added ('0-0' when the stream does not exist). */
  readonly lastGeneratedId: string;
}

/** Where a reader stands: its position, and entries-added when it took its baseline plus entries read since. */
export interface ReaderCount {
  readonly position: string;
  readonly baseAdded: number;
  readonly read: number;
}

/**
 * How many entries were added but never reached the reader (trimmed by MAXLEN, deleted), or null when
 * it cannot be told yet (entries past the position still wait to be read). Once the reader stands at
 * the newest id, every entry added since its baseline was either read or lost. A count below the
 * baseline means the stream was deleted and recreated: everything in it is treated as lost.
 */
export function entriesLost(stream: StreamCounters, reader: ReaderCount): number | null {
  if (compareStreamIds(stream.lastGeneratedId, reader.position) > 0) return null;
  const lost = stream.added - reader.baseAdded - reader.read;
  return lost < 0 ? Math.max(1, stream.added) : lost;
}
