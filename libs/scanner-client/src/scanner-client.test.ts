import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScannerList } from '@scanner/shared-types';
import type { ScannerClientErrorEvent } from './errors.js';
import type { TableUpdate } from './list-table.js';
import type { ScannerClientOptions } from './options.js';
import { type ConnectionState, ScannerClient } from './scanner-client.js';
import { FakeTimers } from '../test/support/fake-timers.js';
import { type FakeSocket, fakeWebSocket } from '../test/support/fake-websocket.js';
import { DAY, NEXT_DAY, connected, delta, priceUpdate, row, snapshot, subscribedList } from '../test/support/messages.js';

const URL = 'ws://127.0.0.1:9000/ws/scanner';
const LISTS: ScannerList[] = ['winners', 'losers'];

function setup(extra: Partial<ScannerClientOptions> = {}) {
  const timers = new FakeTimers();
  const sockets = fakeWebSocket();
  const client = new ScannerClient({
    url: URL,
    lists: LISTS,
    WebSocket: sockets.WebSocket,
    timers,
    random: () => 0.5,
    reconnect: { baseMs: 100, maxMs: 1_000, throttleMs: 5_000 },
    pingIntervalMs: 1_000,
    silenceTimeoutMs: 3_000,
    ...extra,
  });
  const states: ConnectionState[] = [];
  const tables: TableUpdate[] = [];
  const newDays: string[] = [];
  const errors: ScannerClientErrorEvent[] = [];
  client.on('state', (s) => states.push(s));
  client.on('table', (u) => tables.push(u));
  client.on('new_day', (e) => newDays.push(e.epoch));
  client.on('error', (e) => errors.push(e));
  return { client, timers, sockets, states, tables, newDays, errors };
}

type Context = ReturnType<typeof setup>;

/** Opens the latest socket and plays the server's answers: connected, then subscribed_list + snapshot per list. */
function serveLive(ctx: Context, sequence = 10, epoch = DAY): FakeSocket {
  const socket = ctx.sockets.last();
  socket.open();
  socket.receive(connected(epoch));
  for (const list of LISTS) {
    socket.receive(subscribedList(list, sequence, epoch));
    socket.receive(snapshot(list, sequence, [row('A', 1, 10), row('B', 2, 20)], epoch));
  }
  return socket;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('connecting and live tables', () => {
  it('connects, subscribes every list, fills the tables from snapshots and applies deltas in order', () => {
    const ctx = setup();
    expect(ctx.client.state).toBe('idle');
    ctx.client.start();
    expect(ctx.client.state).toBe('connecting');
    expect(ctx.sockets.last().url).toBe(URL);
    const socket = serveLive(ctx);
    expect(ctx.client.state).toBe('open');
    expect(socket.messages()).toEqual([
      { action: 'subscribe_list', list: 'winners' },
      { action: 'subscribe_list', list: 'losers' },
    ]);
    socket.receive(delta('winners', 11, [priceUpdate('B', 2, 21)]));
    expect(ctx.client.table('winners')).toEqual({ list: 'winners', epoch: DAY, sequence: 11, rows: [row('A', 1, 10), { ...row('B', 2, 21) }] });
    expect(ctx.client.table('losers').sequence).toBe(10);
    expect(ctx.tables.map((u) => [u.table.list, u.kind, [...u.changed]])).toEqual([
      ['winners', 'snapshot', ['A', 'B']],
      ['losers', 'snapshot', ['A', 'B']],
      ['winners', 'delta', ['B']],
    ]);
    expect(ctx.states).toEqual(['connecting', 'open']);
    expect(ctx.errors).toEqual([]);
  });

  it('table() refuses a list it does not follow, with a stable code', () => {
    const { client } = setup();
    expect(() => client.table('new_highs')).toThrow(expect.objectContaining({ code: 'NOT_FOLLOWED' }));
    expect(() => client.table('top_gainers' as ScannerList)).toThrow(expect.objectContaining({ code: 'UNKNOWN_LIST' }));
  });

  it('a gap sends one resync, drops deltas until the snapshot, and reports SEQUENCE_GAP', () => {
    const ctx = setup();
    ctx.client.start();
    const socket = serveLive(ctx);
    socket.receive(delta('winners', 12, [priceUpdate('B', 2, 22)]));
    socket.receive(delta('winners', 13, [priceUpdate('B', 2, 23)]));
    expect(socket.messages().slice(2)).toEqual([{ action: 'resync', list: 'winners' }]);
    expect(ctx.errors).toEqual([expect.objectContaining({ code: 'SEQUENCE_GAP', list: 'winners' })]);
    expect(ctx.client.table('winners').sequence).toBe(10);
    socket.receive(snapshot('winners', 13, [row('B', 1, 23)]));
    socket.receive(delta('winners', 14, [priceUpdate('B', 1, 24)]));
    expect(ctx.client.table('winners')).toMatchObject({ sequence: 14, rows: [{ symbol: 'B', price: 24 }] });
  });

  it('sends the token provider’s token as ?token= on every attempt', async () => {
    let issued = 0;
    const ctx = setup({ token: () => Promise.resolve(`jwt-${++issued}`) });
    ctx.client.start();
    expect(ctx.sockets.sockets).toHaveLength(0);
    await Promise.resolve();
    expect(ctx.sockets.last().url).toBe(`${URL}?token=jwt-1`);
  });
});

describe('reconnect and resume', () => {
  it('after a drop reconnects with backoff and resumes every list from its held epoch and sequence', () => {
    const ctx = setup();
    ctx.client.start();
    const first = serveLive(ctx);
    first.receive(delta('winners', 11, [priceUpdate('B', 2, 21)]));

    first.serverClose(1001, 'server shutting down');
    expect(ctx.client.state).toBe('reconnecting');
    // attempt 0, random 0.5: half of baseMs.
    expect(ctx.timers.pendingDelays()).toEqual([50]);
    ctx.timers.advance(49);
    expect(ctx.sockets.sockets).toHaveLength(1);
    ctx.timers.advance(1);
    const second = ctx.sockets.last();
    expect(second).not.toBe(first);
    second.open();
    second.receive(connected());
    expect(second.messages()).toEqual([
      { action: 'subscribe_list', list: 'winners', resume: { epoch: DAY, sequence: 11 } },
      { action: 'subscribe_list', list: 'losers', resume: { epoch: DAY, sequence: 10 } },
    ]);
    // The server holds winners at 11 (no snapshot follows) and losers moved on (a snapshot follows).
    second.receive(subscribedList('winners', 11));
    second.receive(subscribedList('losers', 14));
    second.receive(snapshot('losers', 14, [row('L', 1)]));
    second.receive(delta('winners', 12, [priceUpdate('A', 1, 12)]));
    expect(ctx.client.table('winners')).toMatchObject({ sequence: 12, rows: [{ symbol: 'A', price: 12 }, { symbol: 'B', price: 21 }] });
    expect(ctx.client.table('losers')).toMatchObject({ sequence: 14, rows: [{ symbol: 'L' }] });
    expect(ctx.states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('late events of a replaced socket are ignored', () => {
    const ctx = setup();
    ctx.client.start();
    const first = serveLive(ctx);
    first.serverClose(1006);
    ctx.timers.advance(1_000);
    serveLive(ctx, 20);
    first.receive(delta('winners', 11, [priceUpdate('A', 1, 99)]));
    first.serverClose(1006);
    expect(ctx.client.table('winners').sequence).toBe(20);
    expect(ctx.client.state).toBe('open');
  });

  it('the backoff window doubles while attempts fail, and starts over only after a connection that lasted', () => {
    const ctx = setup({ random: () => 0.999 });
    ctx.client.start();
    const nextWindow = () => {
      const delay = ctx.timers.pendingDelays()[0] ?? -1;
      ctx.timers.advance(delay);
      return delay;
    };
    const windows: number[] = [];
    for (let i = 0; i < 6; i++) {
      ctx.sockets.last().serverClose(1006);
      windows.push(nextWindow());
    }
    expect(windows).toEqual([99, 199, 399, 799, 999, 999]);

    // Accepted, then dropped at once (a flapping server): the window keeps its size.
    serveLive(ctx).serverClose(1011);
    expect(nextWindow()).toBe(999);

    // Accepted and kept for maxMs (pongs keep it alive): the next drop starts from the first window.
    const socket = serveLive(ctx);
    for (let i = 0; i < 2; i++) {
      ctx.timers.advance(500);
      socket.receive({ type: 'pong', timestamp: '2025-11-26T15:00:05.000Z' });
    }
    socket.serverClose(1001);
    expect(nextWindow()).toBe(99);
  });
});

describe('new trading day', () => {
  it('new_day empties every table, sets the new epoch, and emits new_day after the tables are reset', () => {
    const ctx = setup();
    ctx.client.start();
    const socket = serveLive(ctx);
    const seenAtEvent: unknown[] = [];
    ctx.client.on('new_day', () => seenAtEvent.push(ctx.client.table('losers')));
    socket.receive({ type: 'new_day', epoch: NEXT_DAY, date: NEXT_DAY });
    expect(ctx.newDays).toEqual([NEXT_DAY]);
    expect(seenAtEvent).toEqual([{ list: 'losers', epoch: NEXT_DAY, sequence: null, rows: [] }]);
    for (const list of LISTS) expect(ctx.client.table(list)).toEqual({ list, epoch: NEXT_DAY, sequence: null, rows: [] });
    expect(ctx.tables.slice(-2).map((u) => [u.table.list, u.kind, u.changed.size])).toEqual([
      ['winners', 'reset', 0],
      ['losers', 'reset', 0],
    ]);
    socket.receive(snapshot('winners', 1, [row('N', 1)], NEXT_DAY));
    expect(ctx.client.table('winners')).toMatchObject({ epoch: NEXT_DAY, sequence: 1, rows: [{ symbol: 'N' }] });
  });

  it('a new day announced while away is recognised from the connected epoch; subscribes then carry no stale resume', () => {
    const ctx = setup();
    ctx.client.start();
    serveLive(ctx).serverClose(1006);
    ctx.timers.advance(1_000);
    const socket = ctx.sockets.last();
    socket.open();
    socket.receive(connected(NEXT_DAY));
    expect(ctx.newDays).toEqual([NEXT_DAY]);
    expect(ctx.client.table('winners')).toEqual({ list: 'winners', epoch: NEXT_DAY, sequence: null, rows: [] });
    // The resumes went out on open, before connected; the server answers them with the new day's snapshots.
    socket.receive(subscribedList('winners', 3, NEXT_DAY));
    socket.receive(snapshot('winners', 3, [row('N', 1)], NEXT_DAY));
    expect(ctx.client.table('winners')).toMatchObject({ epoch: NEXT_DAY, sequence: 3 });
  });

  it('an older or repeated day changes nothing', () => {
    const ctx = setup();
    ctx.client.start();
    const socket = serveLive(ctx);
    socket.receive({ type: 'new_day', epoch: '2025-11-25', date: '2025-11-25' });
    expect(ctx.newDays).toEqual([]);
    expect(ctx.client.table('winners').sequence).toBe(10);
  });
});

describe('silence detection', () => {
  it('pings every interval and keeps a connection that answers', () => {
    const ctx = setup();
    ctx.client.start();
    const socket = serveLive(ctx);
    for (let i = 0; i < 10; i++) {
      ctx.timers.advance(1_000);
      socket.receive({ type: 'pong', timestamp: '2025-11-26T15:00:05.000Z' });
    }
    expect(socket.messages().filter((m) => m['action'] === 'ping')).toHaveLength(10);
    expect(ctx.client.state).toBe('open');
    expect(ctx.sockets.sockets).toHaveLength(1);
  });

  it('drops a socket that stays silent for silenceTimeoutMs and reconnects with resume', () => {
    const ctx = setup();
    ctx.client.start();
    const socket = serveLive(ctx);
    ctx.timers.advance(2_999);
    expect(socket.terminated).toBe(false);
    ctx.timers.advance(1);
    expect(socket.terminated).toBe(true);
    expect(ctx.errors).toEqual([expect.objectContaining({ code: 'SILENT_CONNECTION' })]);
    expect(socket.messages().filter((m) => m['action'] === 'ping')).toHaveLength(2);
    expect(ctx.client.state).toBe('reconnecting');
    ctx.timers.advance(50);
    const next = ctx.sockets.last();
    expect(next).not.toBe(socket);
    next.open();
    expect(next.messages()[0]).toEqual({ action: 'subscribe_list', list: 'winners', resume: { epoch: DAY, sequence: 10 } });
  });

  it('any message counts as a sign of life, and the silence is measured from the last one', () => {
    const ctx = setup();
    ctx.client.start();
    const socket = serveLive(ctx);
    ctx.timers.advance(2_500);
    socket.receive(delta('winners', 11, [priceUpdate('A', 1, 11)]));
    ctx.timers.advance(2_999);
    expect(socket.terminated).toBe(false);
    ctx.timers.advance(1);
    expect(socket.terminated).toBe(true);
  });

  it('closes (4000) a silent socket that has no terminate(), as in a browser', () => {
    const ctx = setup();
    ctx.client.start();
    const socket = serveLive(ctx);
    Object.defineProperty(socket, 'terminate', { value: undefined });
    ctx.timers.advance(3_000);
    expect(socket.closedWith).toEqual({ code: 4000, reason: 'silent connection' });
    expect(ctx.client.state).toBe('reconnecting');
  });

  it('gives up on a connect that never opens after silenceTimeoutMs', () => {
    const ctx = setup();
    ctx.client.start();
    ctx.timers.advance(3_000);
    expect(ctx.sockets.sockets[0]?.terminated).toBe(true);
    expect(ctx.errors[0]?.message).toMatch(/did not open/);
    ctx.timers.advance(50);
    expect(ctx.sockets.sockets).toHaveLength(2);
  });
});

describe('close codes', () => {
  it('4001: asks the token provider again and reconnects with the new token', () => {
    let issued = 0;
    const ctx = setup({ token: () => `jwt-${++issued}` });
    ctx.client.start();
    serveLive(ctx).serverClose(4001, 'token expired');
    expect(ctx.errors).toEqual([expect.objectContaining({ code: 'TOKEN_EXPIRED' })]);
    ctx.timers.advance(50);
    expect(ctx.sockets.sockets.map((s) => s.url)).toEqual([`${URL}?token=jwt-1`, `${URL}?token=jwt-2`]);
  });

  it('4029 and a 503 at the upgrade wait at least the throttle delay', () => {
    const ctx = setup();
    ctx.client.start();
    serveLive(ctx).serverClose(4029, 'rate limited');
    expect(ctx.timers.pendingDelays()).toEqual([5_050]);
    ctx.timers.advance(5_050);
    const refused = ctx.sockets.last();
    refused.error('Unexpected server response: 503');
    refused.serverClose(1006);
    expect(ctx.errors.map((e) => e.code)).toEqual(['CLOSED_RATE_LIMITED', 'UPGRADE_REFUSED']);
    // Second attempt without a `connected` in between: window 200, random 0.5.
    expect(ctx.timers.pendingDelays()).toEqual([5_100]);
  });

  it('stops for good on a fatal close and never reconnects', () => {
    const ctx = setup();
    ctx.client.start();
    serveLive(ctx).serverClose(1009, 'message too big');
    expect(ctx.client.state).toBe('stopped');
    expect(ctx.errors).toEqual([expect.objectContaining({ code: 'FATAL_CLOSE' })]);
    expect(ctx.timers.pendingDelays()).toEqual([]);
    ctx.timers.advance(600_000);
    expect(ctx.sockets.sockets).toHaveLength(1);
  });

  it('stops on HTTP 404 at the upgrade (wrong URL)', () => {
    const ctx = setup();
    ctx.client.start();
    ctx.sockets.last().error('Unexpected server response: 404');
    ctx.sockets.last().serverClose(1006);
    expect(ctx.client.state).toBe('stopped');
  });
});

describe('stop and start', () => {
  it('stop() closes with 1000, cancels every timer, keeps the tables; start() connects again with resume', () => {
    const ctx = setup();
    ctx.client.start();
    const socket = serveLive(ctx);
    ctx.client.stop();
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'client stopped' });
    expect(ctx.client.state).toBe('stopped');
    expect(ctx.timers.pendingDelays()).toEqual([]);
    socket.serverClose(1000);
    expect(ctx.client.state).toBe('stopped');
    expect(ctx.client.table('winners').sequence).toBe(10);
    ctx.client.start();
    ctx.sockets.last().open();
    expect(ctx.sockets.last().messages()[0]).toMatchObject({ resume: { sequence: 10 } });
  });

  it('stop() from a state listener is obeyed at once: no socket, no timer left behind', () => {
    const ctx = setup();
    ctx.client.on('state', (s) => {
      if (s === 'connecting') ctx.client.stop();
    });
    ctx.client.start();
    expect(ctx.sockets.sockets).toHaveLength(0);
    expect(ctx.client.state).toBe('stopped');

    const again = setup();
    again.client.on('state', (s) => {
      if (s === 'reconnecting') again.client.stop();
    });
    again.client.start();
    again.sockets.last().serverClose(1006);
    expect(again.client.state).toBe('stopped');
    expect(again.timers.pendingDelays()).toEqual([]);
  });

  it('stop() during an unresolved token request opens no socket', async () => {
    let resolve: (token: string) => void = () => undefined;
    const ctx = setup({ token: () => new Promise<string>((r) => (resolve = r)) });
    ctx.client.start();
    ctx.client.stop();
    resolve('late');
    await Promise.resolve();
    expect(ctx.sockets.sockets).toHaveLength(0);
  });

  it('a failing token provider is reported and retried with backoff', async () => {
    let calls = 0;
    const ctx = setup({
      token: () => {
        calls++;
        if (calls === 1) throw new Error('auth service down');
        return Promise.reject(new Error('still down'));
      },
    });
    ctx.client.start();
    expect(ctx.errors).toEqual([{ code: 'TOKEN_UNAVAILABLE', message: 'the token provider failed: auth service down' }]);
    ctx.timers.advance(50);
    await Promise.resolve();
    await Promise.resolve();
    expect(ctx.errors[1]).toEqual({ code: 'TOKEN_UNAVAILABLE', message: 'the token provider failed: still down' });
    expect(ctx.client.state).toBe('reconnecting');
    expect(ctx.sockets.sockets).toHaveLength(0);
  });
});

describe('server errors and bad frames', () => {
  it('surfaces server errors as events, never as exceptions', () => {
    const ctx = setup();
    ctx.client.start();
    const socket = serveLive(ctx);
    expect(() => socket.receive({ type: 'error', code: 'RATE_LIMITED', message: 'slow down' })).not.toThrow();
    socket.receive({ type: 'error', code: 'UNKNOWN_LIST', message: 'unknown', list: 'top_gainers' });
    expect(ctx.errors).toEqual([
      { code: 'RATE_LIMITED', message: 'slow down' },
      { code: 'UNKNOWN_LIST', message: 'unknown', list: 'top_gainers' },
    ]);
    expect(ctx.client.state).toBe('open');
  });

  it('SNAPSHOT_UNAVAILABLE: subscribes that list again after a delay', () => {
    const ctx = setup({ pingIntervalMs: 30_000, silenceTimeoutMs: 60_000 });
    ctx.client.start();
    const socket = serveLive(ctx);
    socket.receive({ type: 'error', code: 'SNAPSHOT_UNAVAILABLE', message: 'later', list: 'losers' });
    const sent = socket.sent.length;
    ctx.timers.advance(5_049);
    expect(socket.messages().slice(sent)).toEqual([]);
    ctx.timers.advance(1);
    expect(socket.messages().slice(sent)).toEqual([
      { action: 'subscribe_list', list: 'losers', resume: { epoch: DAY, sequence: 10 } },
    ]);
  });

  it('NOT_SUBSCRIBED for its own list: subscribes again', () => {
    const ctx = setup();
    ctx.client.start();
    const socket = serveLive(ctx);
    socket.receive({ type: 'error', code: 'NOT_SUBSCRIBED', message: 'not subscribed to losers', list: 'losers' });
    expect(socket.messages().at(-1)).toEqual({ action: 'subscribe_list', list: 'losers', resume: { epoch: DAY, sequence: 10 } });
  });

  it('skips frames it cannot read, reports them, and resyncs a list whose delta was unreadable', () => {
    const ctx = setup();
    ctx.client.start();
    const socket = serveLive(ctx);
    socket.receiveRaw(new Uint8Array([1, 2]));
    socket.receive('not json');
    socket.receive({ type: 'future_message', x: 1 });
    socket.receive({ type: 'delta', list: 'winners', epoch: DAY, sequence: 11, deltas: 'garbage', change_count: 1, timestamp: 'x' });
    expect(ctx.errors.map((e) => [e.code, e.list])).toEqual([
      ['INVALID_SERVER_MESSAGE', undefined],
      ['INVALID_SERVER_MESSAGE', undefined],
      ['INVALID_SERVER_MESSAGE', 'winners'],
    ]);
    expect(socket.messages().at(-1)).toEqual({ action: 'resync', list: 'winners' });
    expect(ctx.client.state).toBe('open');
  });

  it('a throwing listener does not stop the client from applying later frames', () => {
    const rethrown: (() => void)[] = [];
    vi.stubGlobal('queueMicrotask', (task: () => void) => rethrown.push(task));
    const ctx = setup();
    ctx.client.on('table', () => {
      throw new Error('render bug');
    });
    ctx.client.start();
    const socket = serveLive(ctx);
    socket.receive(delta('winners', 11, [priceUpdate('A', 1, 11)]));
    expect(ctx.client.table('winners').sequence).toBe(11);
    expect(rethrown).toHaveLength(3);
  });

  it('on() returns a function that removes the listener', () => {
    const ctx = setup();
    const seen: ConnectionState[] = [];
    const off = ctx.client.on('state', (s) => seen.push(s));
    ctx.client.start();
    off();
    ctx.sockets.last().open();
    expect(seen).toEqual(['connecting']);
  });
});
