import { type ScannerList, type ScannerRow, type ServerMessage, applyRankingDeltas } from '@scanner/shared-types';

/** A client's table of one list, rebuilt from the frames it received, and how it got there. */
export interface RebuiltTable {
  readonly rows: readonly ScannerRow[];
  /** -1 while no snapshot has arrived. */
  readonly sequence: number;
  readonly snapshots: number;
  readonly deltas: number;
  /** The sequence of every delta applied, in order. */
  readonly deltaSequences: readonly number[];
}

export type TableBreakCode = 'DELTA_BEFORE_SNAPSHOT' | 'SEQUENCE_BREAK' | 'DELTA_CONFLICT';

/** The frames broke the protocol's promise: a delta that does not follow the client's sequence or rows. */
export class TableBreak extends Error {
  override readonly name = 'TableBreak';
  constructor(
    readonly code: TableBreakCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Rebuilds `list` as a frontend would: a snapshot replaces the table, a delta must carry exactly the
 * next sequence and fit the rows. A gap, a duplicate or a conflicting delta throws TableBreak: the
 * server must never send one (it resyncs with a snapshot instead). A `new_day` empties the table.
 */
export function rebuildTable(messages: readonly ServerMessage[], list: ScannerList): RebuiltTable {
  let rows: readonly ScannerRow[] = [];
  let sequence = -1;
  let snapshots = 0;
  const deltaSequences: number[] = [];
  for (const message of messages) {
    if (message.type === 'new_day') {
      rows = [];
      sequence = -1;
      continue;
    }
    if ((message.type !== 'snapshot' && message.type !== 'delta') || message.list !== list) continue;
    if (message.type === 'snapshot') {
      rows = message.rows;
      sequence = message.sequence;
      snapshots++;
      continue;
    }
    if (sequence < 0) throw new TableBreak('DELTA_BEFORE_SNAPSHOT', `${list}: delta ${message.sequence} before any snapshot`);
    if (message.sequence !== sequence + 1) {
      throw new TableBreak('SEQUENCE_BREAK', `${list}: delta ${message.sequence} after ${sequence}`);
    }
    const applied = applyRankingDeltas(rows, message.deltas, message.timestamp);
    if (!applied.ok) throw new TableBreak('DELTA_CONFLICT', `${list}: delta ${message.sequence}: ${applied.error.message}`);
    rows = applied.value;
    sequence = message.sequence;
    deltaSequences.push(message.sequence);
  }
  return { rows, sequence, snapshots, deltas: deltaSequences.length, deltaSequences };
}
