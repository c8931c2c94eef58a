import type {
  ConnectedMessage,
  DeltaMessage,
  ErrorMessage,
  NewDayMessage,
  PongMessage,
  SnapshotMessage,
  SubscribedListMessage,
  UnsubscribedListMessage,
} from './server-messages.js';

/*
 * One function per message type, each returning the frame text. They list the fields explicitly, so
 * `type` comes first and nothing the caller's object happens to carry leaks onto the wire. They do not
 * validate: their inputs are typed and come from this server, and a snapshot is encoded once per
 * broadcast, on the hot path. Counts are derived, so they cannot disagree with the arrays.
 */

type Fields<M> = Omit<M, 'type'>;

export function encodeConnected(m: Fields<ConnectedMessage>): string {
  return JSON.stringify({
    type: 'connected',
    connection_id: m.connection_id,
    epoch: m.epoch,
    lists: m.lists,
    server_time: m.server_time,
  });
}

export function encodeSnapshot(m: Omit<Fields<SnapshotMessage>, 'count'>): string {
  return JSON.stringify({
    type: 'snapshot',
    list: m.list,
    epoch: m.epoch,
    sequence: m.sequence,
    rows: m.rows,
    count: m.rows.length,
    timestamp: m.timestamp,
  });
}

export function encodeDelta(m: Omit<Fields<DeltaMessage>, 'change_count'>): string {
  return JSON.stringify({
    type: 'delta',
    list: m.list,
    epoch: m.epoch,
    sequence: m.sequence,
    deltas: m.deltas,
    change_count: m.deltas.length,
    timestamp: m.timestamp,
  });
}

export function encodeSubscribedList(m: Fields<SubscribedListMessage>): string {
  return JSON.stringify({ type: 'subscribed_list', list: m.list, epoch: m.epoch, sequence: m.sequence });
}

export function encodeUnsubscribedList(m: Fields<UnsubscribedListMessage>): string {
  return JSON.stringify({ type: 'unsubscribed_list', list: m.list });
}

export function encodeNewDay(m: Fields<NewDayMessage>): string {
  return JSON.stringify({ type: 'new_day', epoch: m.epoch, date: m.date });
}

export function encodePong(m: Fields<PongMessage>): string {
  return JSON.stringify({ type: 'pong', timestamp: m.timestamp });
}

/** Takes a ProtocolError as it is: its `path` is for logs and stays off the wire. */
export function encodeError(m: Fields<ErrorMessage>): string {
  return JSON.stringify({ type: 'error', code: m.code, message: m.message, list: m.list });
}
