import { describe, expect, it } from 'vitest';
import type { ScannerList } from '@scanner/shared-types';
import type { ScannerClientErrorEvent } from './errors.js';
import type { TableUpdate } from './list-table.js';
import type { ScannerClientOptions } from './options.js';
import { ScannerClient } from './scanner-client.js';
import { FakeTimers } from '../test/support/fake-timers.js';
import { type FakeSocket, fakeWebSocket } from '../test/support/fake-websocket.js';
import { DAY, NEXT_DAY, connected, delta, priceUpdate, row, snapshot, subscribedList } from '../test/support/messages.js';

function setup(lists: ScannerList[], extra: Partial<ScannerClientOptions> = {}) {
  const timers = new FakeTimers();
  const sockets = fakeWebSocket();
  const client = new ScannerClient({
    url: 'ws://127.0.0.1:9000/ws/scanner',
    lists,
    WebSocket: sockets.WebSocket,
    timers,
    random: () => 0.5,
    reconnect: { baseMs: 100, maxMs: 1_000, throttleMs: 5_000 },
    pingIntervalMs: 30_000,
    silenceTimeoutMs: 60_000,
    ...extra,
  });
  const tables: TableUpdate[] = [];
  const errors: ScannerClientErrorEvent[] = [];
  client.on('table', (u) => tables.push(u));
  client.on('error', (e) => errors.push(e));
  return { client, timers, sockets, tables, errors };
}

function open(socket: FakeSocket): FakeSocket {
  socket.open();
  socket.receive(connected());
  return socket;
}

/** The server's answer to a subscribe without resume: subscribed_list, then the snapshot. */
function serve(socket: FakeSocket, list: ScannerList, sequence: number, epoch = DAY): void {
  socket.receive(subscribedList(list, sequence, epoch));
  socket.receive(snapshot(list, sequence, [row('A', 1, 10), row('B', 2, 20)], epoch));
}

const history = (tables: TableUpdate[], list: ScannerList) => tables.filter((u) => u.table.list === list).map((u) => [u.kind, u.table.sequence]);

describe('subscribe() at runtime', () => {
  it('with an empty initial set: nothing is subscribed; a list subscribed while open goes out at once and fills from snapshot and deltas', () => {
    const ctx = setup([]);
    ctx.client.start();
    const socket = open(ctx.sockets.last());
    expect(socket.messages()).toEqual([]);
    expect(ctx.client.followedLists).toEqual([]);

    ctx.client.subscribe('losers');
    expect(socket.messages()).toEqual([{ action: 'subscribe_list', list: 'losers' }]);
    expect(ctx.client.table('losers')).toEqual({ list: 'losers', epoch: null, sequence: null, rows: [] });
    expect(ctx.client.followedLists).toEqual(['losers']);

    serve(socket, 'losers', 7);
    socket.receive(delta('losers', 8, [priceUpdate('B', 2, 21)]));
    expect(ctx.client.table('losers')).toEqual({ list: 'losers', epoch: DAY, sequence: 8, rows: [row('A', 1, 10), row('B', 2, 21)] });
    expect(history(ctx.tables, 'losers')).toEqual([
      ['snapshot', 7],
      ['delta', 8],
    ]);
    expect(ctx.errors).toEqual([]);
  });

  it('before start() and while reconnecting: held, and subscribed once on the next open', () => {
    const ctx = setup(['winners']);
    ctx.client.subscribe('losers');
    ctx.client.start();
    const first = open(ctx.sockets.last());
    expect(first.messages()).toEqual([
      { action: 'subscribe_list', list: 'winners' },
      { action: 'subscribe_list', list: 'losers' },
    ]);
    serve(first, 'winners', 10);
    serve(first, 'losers', 3);

    first.serverClose(1006);
    expect(ctx.client.state).toBe('reconnecting');
    ctx.client.subscribe('new_highs');
    expect(ctx.client.table('new_highs').sequence).toBeNull();
    ctx.timers.advance(1_000);
    const second = open(ctx.sockets.last());
    expect(ctx.sockets.sockets).toHaveLength(2);
    expect(second.messages()).toEqual([
      { action: 'subscribe_list', list: 'winners', resume: { epoch: DAY, sequence: 10 } },
      { action: 'subscribe_list', list: 'losers', resume: { epoch: DAY, sequence: 3 } },
      { action: 'subscribe_list', list: 'new_highs' },
    ]);
  });

  it('subscribe() from a state listener on open sends that list once', () => {
    const ctx = setup(['winners']);
    ctx.client.on('state', (state) => {
      if (state === 'open') ctx.client.subscribe('losers');
    });
    ctx.client.start();
    const socket = open(ctx.sockets.last());
    expect(socket.messages()).toEqual([
      { action: 'subscribe_list', list: 'winners' },
      { action: 'subscribe_list', list: 'losers' },
    ]);
  });

  it('a list already followed is a no-op: no second subscribe, the table is kept', () => {
    const ctx = setup(['winners']);
    ctx.client.start();
    const socket = open(ctx.sockets.last());
    serve(socket, 'winners', 10);
    const sent = socket.sent.length;
    ctx.client.subscribe('winners');
    expect(socket.sent.length).toBe(sent);
    expect(ctx.client.table('winners').sequence).toBe(10);
    expect(ctx.client.followedLists).toEqual(['winners']);
  });

  it('subscribe() and unsubscribe() throw UNKNOWN_LIST for a name that is not a list, and change nothing', () => {
    const ctx = setup(['winners']);
    ctx.client.start();
    const socket = open(ctx.sockets.last());
    expect(() => ctx.client.subscribe('top_gainers' as ScannerList)).toThrow(expect.objectContaining({ code: 'UNKNOWN_LIST' }));
    expect(() => ctx.client.unsubscribe('top_gainers' as ScannerList)).toThrow(expect.objectContaining({ code: 'UNKNOWN_LIST' }));
    expect(socket.messages()).toEqual([{ action: 'subscribe_list', list: 'winners' }]);
    expect(ctx.client.followedLists).toEqual(['winners']);
  });
});

describe('unsubscribe() at runtime', () => {
  it('sends unsubscribe_list, drops the table, and applies no frame of the list that arrives later', () => {
    const ctx = setup(['winners', 'losers']);
    ctx.client.start();
    const socket = open(ctx.sockets.last());
    serve(socket, 'winners', 10);
    serve(socket, 'losers', 7);
    const updates = ctx.tables.length;

    ctx.client.unsubscribe('losers');
    expect(socket.messages().at(-1)).toEqual({ action: 'unsubscribe_list', list: 'losers' });
    expect(() => ctx.client.table('losers')).toThrow(expect.objectContaining({ code: 'NOT_FOLLOWED' }));
    expect(ctx.client.followedLists).toEqual(['winners']);

    const sent = socket.sent.length;
    // In flight when unsubscribe() ran: a delta in order, one with a gap, a snapshot; then the answer.
    socket.receive(delta('losers', 8, [priceUpdate('B', 2, 21)]));
    socket.receive(delta('losers', 12, [priceUpdate('B', 2, 22)]));
    socket.receive(snapshot('losers', 12, [row('Z', 1, 1)]));
    socket.receive({ type: 'unsubscribed_list', list: 'losers' });
    socket.receive(delta('winners', 11, [priceUpdate('A', 1, 11)]));

    expect(ctx.tables.slice(updates).map((u) => u.table.list)).toEqual(['winners']);
    expect(() => ctx.client.table('losers')).toThrow(expect.objectContaining({ code: 'NOT_FOLLOWED' }));
    // No resync for the gap, nothing at all sent for a list no longer followed.
    expect(socket.sent.length).toBe(sent);
    expect(ctx.errors).toEqual([]);
  });

  it('a NOT_SUBSCRIBED for a list no longer followed is reported but does not subscribe it again', () => {
    const ctx = setup(['winners', 'losers']);
    ctx.client.start();
    const socket = open(ctx.sockets.last());
    serve(socket, 'winners', 10);
    serve(socket, 'losers', 7);
    ctx.client.unsubscribe('losers');
    const sent = socket.sent.length;
    socket.receive({ type: 'error', code: 'NOT_SUBSCRIBED', message: 'not subscribed to losers', list: 'losers' });
    expect(socket.sent.length).toBe(sent);
    expect(ctx.errors.map((e) => [e.code, e.list])).toEqual([['NOT_SUBSCRIBED', 'losers']]);
  });

  it('a list unsubscribed is not subscribed on reconnect; one unsubscribed while away sends nothing', () => {
    const ctx = setup(['winners', 'losers', 'gappers_up']);
    ctx.client.start();
    const first = open(ctx.sockets.last());
    serve(first, 'winners', 10);
    serve(first, 'losers', 7);
    serve(first, 'gappers_up', 4);
    ctx.client.unsubscribe('losers');
    first.serverClose(1001);
    const sentOnFirst = first.sent.length;
    ctx.client.unsubscribe('gappers_up');
    expect(first.sent.length).toBe(sentOnFirst);

    ctx.timers.advance(1_000);
    const second = open(ctx.sockets.last());
    expect(second.messages()).toEqual([{ action: 'subscribe_list', list: 'winners', resume: { epoch: DAY, sequence: 10 } }]);
  });

  it('cancels a subscribe scheduled after SNAPSHOT_UNAVAILABLE', () => {
    const ctx = setup(['winners', 'losers']);
    ctx.client.start();
    const socket = open(ctx.sockets.last());
    serve(socket, 'winners', 10);
    socket.receive({ type: 'error', code: 'SNAPSHOT_UNAVAILABLE', message: 'later', list: 'losers' });
    const timersWithRetry = ctx.timers.pendingDelays().length;
    ctx.client.unsubscribe('losers');
    expect(ctx.timers.pendingDelays().length).toBe(timersWithRetry - 1);
    const sent = socket.sent.length;
    ctx.timers.advance(10_000);
    expect(socket.messages().slice(sent)).toEqual([]);
  });

  it('a new day resets only the lists still followed', () => {
    const ctx = setup(['winners', 'losers']);
    ctx.client.start();
    const socket = open(ctx.sockets.last());
    serve(socket, 'winners', 10);
    serve(socket, 'losers', 7);
    ctx.client.unsubscribe('losers');
    const updates = ctx.tables.length;
    socket.receive({ type: 'new_day', epoch: NEXT_DAY, date: NEXT_DAY });
    expect(ctx.tables.slice(updates).map((u) => [u.table.list, u.kind])).toEqual([['winners', 'reset']]);
  });

  it('a list not followed is a no-op', () => {
    const ctx = setup(['winners']);
    ctx.client.start();
    const socket = open(ctx.sockets.last());
    ctx.client.unsubscribe('losers');
    expect(socket.messages()).toEqual([{ action: 'subscribe_list', list: 'winners' }]);
    expect(ctx.client.followedLists).toEqual(['winners']);
  });
});

describe('unsubscribe() then subscribe() again before the server answered', () => {
  it('frames of the old subscription do not corrupt the new table; the late NOT_SUBSCRIBED costs no extra subscribe', () => {
    const ctx = setup(['winners']);
    ctx.client.start();
    const socket = open(ctx.sockets.last());
    serve(socket, 'winners', 10);
    ctx.client.unsubscribe('winners');
    ctx.client.subscribe('winners');
    expect(socket.messages().slice(1)).toEqual([
      { action: 'unsubscribe_list', list: 'winners' },
      { action: 'subscribe_list', list: 'winners' },
    ]);
    const updates = ctx.tables.length;

    socket.receive(delta('winners', 11, [priceUpdate('A', 1, 11)])); // sent before the server saw the unsubscribe
    expect(ctx.client.table('winners')).toEqual({ list: 'winners', epoch: null, sequence: null, rows: [] });
    socket.receive({ type: 'error', code: 'NOT_SUBSCRIBED', message: 'not subscribed to winners', list: 'winners' });
    socket.receive(subscribedList('winners', 11));
    socket.receive(snapshot('winners', 11, [row('A', 1, 11)]));
    socket.receive(delta('winners', 12, [priceUpdate('A', 1, 12)]));

    expect(socket.messages().slice(1)).toHaveLength(2);
    expect(ctx.client.table('winners')).toEqual({ list: 'winners', epoch: DAY, sequence: 12, rows: [row('A', 1, 12)] });
    expect(history(ctx.tables.slice(updates), 'winners')).toEqual([
      ['snapshot', 11],
      ['delta', 12],
    ]);
  });
});
