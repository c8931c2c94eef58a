import {
  type ClientMessage,
  type DeltaMessage,
  type ResumePoint,
  type ScannerList,
  type ScannerRow,
  type SnapshotMessage,
  type SubscribedListMessage,
  applyRankingDeltas,
} from '@scanner/shared-types';
import { changedSymbols } from './changed-rows.js';
import { CLIENT_ERROR_CODES, type ScannerClientErrorEvent } from './errors.js';
import { resumePointOf, subscribeMessage } from './subscribe-message.js';

/** One list as the client holds it. `epoch`/`sequence` are null until a snapshot (and again after a new day). */
export interface ListTable {
  readonly list: ScannerList;
  readonly epoch: string | null;
  readonly sequence: number | null;
  readonly rows: readonly ScannerRow[];
}

export interface TableUpdate {
  readonly table: ListTable;
  /** Symbols whose row was added or changed (a removed row is simply absent from `table.rows`). */
  readonly changed: ReadonlySet<string>;
  readonly kind: 'snapshot' | 'delta' | 'reset';
}

/**
 * What the client waits for on this list. While it waits for a snapshot, deltas are dropped: they
 * belong to a state it does not hold, and the snapshot replaces the table anyway.
 */
export type Pending =
  /** Live: the next delta in sequence applies. */
  | 'none'
  /** `subscribe_list` sent; its `subscribed_list` (and snapshot, unless resumed) not in yet. */
  | 'subscribe'
  /** `resync` sent after a gap or a delta that did not apply; its snapshot not in yet. */
  | 'resync'
  /** The server dropped the subscription (SNAPSHOT_UNAVAILABLE); a new subscribe is scheduled. */
  | 'retry';

export interface ListState {
  readonly table: ListTable;
  readonly pending: Pending;
  /** The resume sent with the pending subscribe: `subscribed_list` at exactly it means no snapshot follows. */
  readonly resumeSent: ResumePoint | null;
}

/** The outcome of one event: the new state, and what the caller must emit or send. */
export interface Step {
  readonly state: ListState;
  readonly update: TableUpdate | null;
  readonly send: ClientMessage | null;
  readonly error: ScannerClientErrorEvent | null;
}

const NOTHING_CHANGED: ReadonlySet<string> = new Set();

export function initialListState(list: ScannerList): ListState {
  return { table: { list, epoch: null, sequence: null, rows: [] }, pending: 'none', resumeSent: null };
}

function step(state: ListState, extra: Partial<Omit<Step, 'state'>> = {}): Step {
  return { state, update: extra.update ?? null, send: extra.send ?? null, error: extra.error ?? null };
}

/** (Re)subscribe, resuming from the held state when there is one (protocol 4.3): every (re)connect, and after a drop. */
export function subscribing(state: ListState): Step {
  return step(
    { ...state, pending: 'subscribe', resumeSent: resumePointOf(state.table) },
    { send: subscribeMessage(state.table.list, state.table) },
  );
}

/** The server confirmed the subscription. At exactly the resume point sent, the table is current and deltas follow. */
export function onSubscribed(state: ListState, message: SubscribedListMessage): Step {
  const resume = state.resumeSent;
  if (state.pending === 'subscribe' && resume !== null && message.epoch === resume.epoch && message.sequence === resume.sequence) {
    return step({ ...state, pending: 'none', resumeSent: null });
  }
  // Otherwise the snapshot of that state follows in the same step on the server.
  return step(state);
}

/**
 * A snapshot replaces the table, requested or not (the server sends one after a gap, a restart, a
 * stream loss: protocol 4.2). One of an older day than the table's is a node that has not seen the new
 * day yet: taking it would show yesterday's rows as today's, so it is dropped.
 */
export function onSnapshot(state: ListState, message: SnapshotMessage): Step {
  const { table } = state;
  if (table.epoch !== null && message.epoch < table.epoch) return step(state);
  const next: ListTable = { list: table.list, epoch: message.epoch, sequence: message.sequence, rows: message.rows };
  return step(
    { table: next, pending: 'none', resumeSent: null },
    { update: { table: next, changed: changedSymbols(table.rows, next.rows), kind: 'snapshot' } },
  );
}

/** Protocol 4.1: apply the delta after the held one; drop old ones; anything else asks for one snapshot. */
export function onDelta(state: ListState, message: DeltaMessage): Step {
  const { table } = state;
  if (state.pending !== 'none') return step(state);
  if (table.epoch !== null && message.epoch < table.epoch) return step(state);
  if (table.sequence !== null && message.epoch === table.epoch && message.sequence <= table.sequence) return step(state);
  if (table.sequence === null || message.epoch !== table.epoch || message.sequence !== table.sequence + 1) {
    const held = table.sequence === null ? 'nothing' : `${table.epoch ?? '?'} #${table.sequence}`;
    return resync(state, CLIENT_ERROR_CODES.SEQUENCE_GAP, `delta ${message.epoch} #${message.sequence} does not follow ${held}; resyncing`);
  }
  const applied = applyRankingDeltas(table.rows, message.deltas, message.timestamp);
  if (!applied.ok) {
    return resync(state, CLIENT_ERROR_CODES.DELTA_CONFLICT, `delta #${message.sequence} does not apply: ${applied.error.message}; resyncing`);
  }
  const next: ListTable = { list: table.list, epoch: message.epoch, sequence: message.sequence, rows: applied.value };
  return step(
    { ...state, table: next },
    { update: { table: next, changed: changedSymbols(table.rows, next.rows), kind: 'delta' } },
  );
}

function resync(state: ListState, code: typeof CLIENT_ERROR_CODES.SEQUENCE_GAP | typeof CLIENT_ERROR_CODES.DELTA_CONFLICT, message: string): Step {
  const list = state.table.list;
  return step({ ...state, pending: 'resync' }, { send: { action: 'resync', list }, error: { code, message: `${list}: ${message}`, list } });
}

/**
 * A new trading day empties the table and sets the new epoch; the server sends the day's snapshot
 * (protocol 4.4). A pending subscribe or resync stays pending: its answer is of the new day. A day
 * older than the table's is ignored.
 */
export function onNewDay(state: ListState, epoch: string): Step {
  const { table } = state;
  if (table.epoch !== null && epoch < table.epoch) return step(state);
  const next: ListTable = { list: table.list, epoch, sequence: null, rows: [] };
  return step({ ...state, table: next, resumeSent: null }, { update: { table: next, changed: NOTHING_CHANGED, kind: 'reset' } });
}

/** The server dropped the subscription (SNAPSHOT_UNAVAILABLE): deltas stop until the scheduled subscribe. */
export function onSubscriptionDropped(state: ListState): Step {
  return step({ ...state, pending: 'retry', resumeSent: null });
}

/**
 * The server answered `resync` (or `unsubscribe_list`) with NOT_SUBSCRIBED: it holds no subscription of
 * the list. Subscribe again, unless a subscribe is already on its way or scheduled: then this error is
 * the late answer to something sent before it (e.g. the unsubscribe of a list followed again since),
 * and a second subscribe would only cost another snapshot.
 */
export function onNotSubscribed(state: ListState): Step {
  if (state.pending === 'subscribe' || state.pending === 'retry') return step(state);
  return subscribing(state);
}
