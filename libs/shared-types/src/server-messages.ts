import type { IsoDate } from '@scanner/market-calendar';
import type { ProtocolErrorCode } from './protocol-errors.js';
import type { RankingDelta } from './ranking-delta.js';
import type { ScannerList } from './scanner-lists.js';
import type { ScannerRow } from './scanner-row.js';

/*
 * `epoch` is the trading day the data belongs to. It is null in `connected` and `subscribed_list` only
 * while the server does not know the day yet (it has not read `trading:current_day` and holds no data,
 * e.g. right after a fresh deployment); a client then waits for the snapshot, which always carries one.
 * Instants (`server_time`, `timestamp`) are ISO 8601 text.
 */

export interface ConnectedMessage {
  readonly type: 'connected';
  readonly connection_id: string;
  readonly epoch: IsoDate | null;
  /** The lists a client may subscribe to. */
  readonly lists: readonly ScannerList[];
  readonly server_time: string;
}

export interface SnapshotMessage {
  readonly type: 'snapshot';
  readonly list: ScannerList;
  readonly epoch: IsoDate;
  /** 0 when the list has not been written yet today (and `rows` is empty). */
  readonly sequence: number;
  readonly rows: readonly ScannerRow[];
  readonly count: number;
  /** When upstream produced the rows, not when the server read them. */
  readonly timestamp: string;
}

export interface DeltaMessage {
  readonly type: 'delta';
  readonly list: ScannerList;
  readonly epoch: IsoDate;
  readonly sequence: number;
  readonly deltas: readonly RankingDelta[];
  readonly change_count: number;
  readonly timestamp: string;
}

export interface SubscribedListMessage {
  readonly type: 'subscribed_list';
  readonly list: ScannerList;
  readonly epoch: IsoDate | null;
  /** The sequence the client is at after subscribing; 0 when nothing has been sent yet. */
  readonly sequence: number;
}

export interface UnsubscribedListMessage {
  readonly type: 'unsubscribed_list';
  readonly list: ScannerList;
}

/** The trading day changed: clients drop every table they hold. */
export interface NewDayMessage {
  readonly type: 'new_day';
  /** The epoch every following snapshot and delta carries. */
  readonly epoch: IsoDate;
  /** The date announced on `trading:new_day`, kept for the original frontend, which reads `date`. */
  readonly date: IsoDate;
}

export interface PongMessage {
  readonly type: 'pong';
  readonly timestamp: string;
}

export interface ErrorMessage {
  readonly type: 'error';
  readonly code: ProtocolErrorCode;
  readonly message: string;
  /** The list the error is about, when there is one (for UNKNOWN_LIST, the name the client sent). */
  readonly list?: string;
}

export type ServerMessage =
  | ConnectedMessage
  | SnapshotMessage
  | DeltaMessage
  | SubscribedListMessage
  | UnsubscribedListMessage
  | NewDayMessage
  | PongMessage
  | ErrorMessage;

export type ServerMessageType = ServerMessage['type'];
