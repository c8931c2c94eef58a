import type { RankingStreamEntry } from '@scanner/redis-keys';
import { type ScannerList, type ScannerRow, diffRankings } from '@scanner/shared-types';
import type { Rankings } from './rank-lists.js';

/** What the scanner last published for one list. */
export interface ListState {
  readonly sequence: number;
  readonly rows: readonly ScannerRow[];
}

export type FeedLists = ReadonlyMap<ScannerList, ListState>;

/** One list's update: the stream entry, and the rows and sequence its keys take, written together. */
export interface ListUpdate {
  readonly list: ScannerList;
  readonly sequence: number;
  readonly rows: readonly ScannerRow[];
  readonly entry: RankingStreamEntry;
}

/** The lists after an update, and what to write to get there. */
export interface FeedPlan {
  readonly lists: FeedLists;
  readonly updates: readonly ListUpdate[];
}

/** A scanner (re)start: every list as a snapshot with sequence 1, empty lists included. */
export function planSnapshots(rankings: Rankings, timestamp: string): FeedPlan {
  const updates = [...rankings].map(([list, rows]) => snapshotUpdate(list, rows, 1, timestamp));
  return { lists: listsOf(updates), updates };
}

/**
 * A tick: each list whose ranking changed gets a delta with the next sequence; an unchanged list gets
 * nothing, as upstream sends nothing. A list the previous state does not hold starts with a snapshot.
 */
export function planDeltas(previous: FeedLists, rankings: Rankings, timestamp: string): FeedPlan {
  const lists = new Map(previous);
  const updates: ListUpdate[] = [];
  for (const [list, rows] of rankings) {
    const before = previous.get(list);
    if (before === undefined) {
      updates.push(snapshotUpdate(list, rows, 1, timestamp));
      continue;
    }
    const deltas = diffRankings(before.rows, rows);
    if (deltas.length === 0) continue;
    const sequence = before.sequence + 1;
    updates.push({
      list,
      sequence,
      rows,
      entry: { type: 'delta', list, sequence, deltas, timestamp, change_count: deltas.length },
    });
  }
  for (const update of updates) lists.set(update.list, { sequence: update.sequence, rows: update.rows });
  return { lists, updates };
}

function snapshotUpdate(list: ScannerList, rows: readonly ScannerRow[], sequence: number, timestamp: string): ListUpdate {
  return { list, sequence, rows, entry: { type: 'snapshot', list, sequence, rows, timestamp, count: rows.length } };
}

function listsOf(updates: readonly ListUpdate[]): FeedLists {
  return new Map(updates.map((u) => [u.list, { sequence: u.sequence, rows: u.rows }]));
}
