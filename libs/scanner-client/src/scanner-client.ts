import {
  type ClientMessage,
  type ErrorMessage,
  type ScannerList,
  type ServerMessage,
  isScannerList,
  parseServerMessage,
} from '@scanner/shared-types';
import { reconnectDelay } from './backoff.js';
import { decideOnClose, upgradeStatusOf } from './close-policy.js';
import { Emitter } from './emitter.js';
import { follow, unfollow } from './followed-lists.js';
import { CLIENT_ERROR_CODES, type ClientErrorCode, ScannerClientError, type ScannerClientErrorEvent } from './errors.js';
import {
  type ListState,
  type ListTable,
  type Step,
  type TableUpdate,
  initialListState,
  onDelta,
  onNewDay,
  onNotSubscribed,
  onSnapshot,
  onSubscribed,
  onSubscriptionDropped,
  subscribing,
} from './list-table.js';
import { type ResolvedOptions, type ScannerClientOptions, resolveOptions, urlWithToken } from './options.js';
import { SOCKET_OPEN, type WebSocketLike } from './websocket-like.js';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'stopped';

export interface ScannerClientEvents {
  state: ConnectionState;
  table: TableUpdate;
  new_day: { readonly epoch: string };
  error: ScannerClientErrorEvent;
}

/** Close code the client uses when it drops a socket it judged dead (4000-4999 is the application range). */
const SILENT_CLOSE_CODE = 4000;

/** Everything tied to one socket; replaced on every attempt, so late events of an old socket are recognised and ignored. */
interface Connection {
  readonly socket: WebSocketLike;
  opened: boolean;
  /** When the server's `connected` arrived: a connection that then lasts ends a failure streak. */
  connectedAt: number | null;
  httpStatus: number | null;
  lastHeardAt: number;
  pingTimer: unknown;
  silenceTimer: unknown;
  readonly retryTimers: Map<ScannerList, unknown>;
}

/**
 * A scanner WebSocket client (docs/protocol.md section 4): keeps a live table per list, resumes after
 * a reconnect, resyncs on a gap, empties every table on a new day, and reconnects with full-jitter
 * backoff. The protocol decisions are pure functions (list-table, close-policy, backoff); this class
 * only moves frames and timers. Nothing from the socket path is thrown: problems are `error` events.
 */
export class ScannerClient {
  private readonly o: ResolvedOptions;
  private readonly events = new Emitter<ScannerClientEvents>();
  /** The followed lists and their tables: the options' lists, then subscribe()/unsubscribe() at runtime. */
  private readonly lists = new Map<ScannerList, ListState>();
  private current: ConnectionState = 'idle';
  private connection: Connection | null = null;
  /** Bumped by every attempt and by stop(): a callback from an older attempt (token, timer) sees it changed and does nothing. */
  private generation = 0;
  private attempt = 0;
  private reconnectTimer: unknown = null;
  /** The newest trading day seen, to recognise a new day announced while the client was away. */
  private latestEpoch: string | null = null;

  constructor(options: ScannerClientOptions) {
    this.o = resolveOptions(options);
    for (const list of this.o.lists) this.lists.set(list, initialListState(list));
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The list's current table; throws ScannerClientError for a list this client does not follow. */
  table(list: ScannerList): ListTable {
    const state = this.lists.get(list);
    if (state !== undefined) return state.table;
    if (!isScannerList(list)) throw new ScannerClientError(CLIENT_ERROR_CODES.UNKNOWN_LIST, `unknown list ${JSON.stringify(list)}`);
    const followed = [...this.lists.keys()].join(', ') || 'none';
    throw new ScannerClientError(CLIENT_ERROR_CODES.NOT_FOLLOWED, `${list} is not one of this client's lists (${followed})`);
  }

  /** The lists this client follows now, in the order they were added. */
  get followedLists(): readonly ScannerList[] {
    return [...this.lists.keys()];
  }

  /**
   * Follows `list` from now on: subscribes at once if the socket is open, and on every reconnect. Its
   * table starts empty (epoch and sequence null) and fills from the snapshot. A list already followed
   * is left as it is (no second subscribe, no snapshot). Throws ScannerClientError UNKNOWN_LIST for a
   * name that is not one of the 11 lists.
   */
  subscribe(list: ScannerList): void {
    const decision = follow(this.lists, list, this.isOpen());
    if (decision.kind === 'unchanged') return;
    this.lists.set(decision.state.table.list, decision.state);
    if (decision.send !== null) this.send(decision.send);
  }

  /**
   * Stops following `list`: sends unsubscribe_list if the socket is open, drops the table (table(list)
   * then throws NOT_FOLLOWED), ignores frames of the list still in flight, and does not subscribe it on
   * a reconnect. No table event is emitted. A list not followed is a no-op; a name that is not one of
   * the 11 lists throws ScannerClientError UNKNOWN_LIST.
   */
  unsubscribe(list: ScannerList): void {
    const decision = unfollow(this.lists, list, this.isOpen());
    if (decision.kind === 'unchanged') return;
    this.lists.delete(decision.list);
    const retry = this.connection?.retryTimers.get(decision.list);
    if (retry !== undefined) {
      this.o.timers.clearTimeout(retry);
      this.connection?.retryTimers.delete(decision.list);
    }
    if (decision.send !== null) this.send(decision.send);
  }

  on(event: 'state', listener: (state: ConnectionState) => void): () => void;
  on(event: 'table', listener: (update: TableUpdate) => void): () => void;
  on(event: 'new_day', listener: (event: { readonly epoch: string }) => void): () => void;
  on(event: 'error', listener: (error: ScannerClientErrorEvent) => void): () => void;
  on<K extends keyof ScannerClientEvents>(event: K, listener: (payload: ScannerClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Connects (again, after stop()). Does nothing while already running. */
  start(): void {
    if (this.current !== 'idle' && this.current !== 'stopped') return;
    this.attempt = 0;
    this.connect('connecting');
  }

  /** Closes the socket and cancels every timer; the tables keep their last state. */
  stop(): void {
    if (this.current === 'stopped' || this.current === 'idle') return;
    this.halt();
  }

  /** Subscribes go out now only once `open` has subscribed the held lists; before that, `open` sends them all. */
  private isOpen(): boolean {
    return this.connection?.opened === true;
  }

  private halt(): void {
    this.generation++;
    this.cancelReconnect();
    const connection = this.connection;
    this.dropConnection();
    if (connection !== null) closeQuietly(connection.socket, 1000, 'client stopped');
    this.setState('stopped');
  }

  private connect(state: 'connecting' | 'reconnecting'): void {
    const generation = ++this.generation;
    this.reconnectTimer = null;
    this.setState(state);
    // A state listener may have called stop().
    if (generation !== this.generation) return;
    const provider = this.o.token;
    if (provider === null) return this.open(generation, null);
    let token: string | null | Promise<string | null>;
    try {
      token = provider();
    } catch (error) {
      return this.tokenFailed(error);
    }
    if (!isPromiseLike(token)) return this.open(generation, token);
    token.then(
      (value) => {
        if (generation === this.generation) this.open(generation, value);
      },
      (error: unknown) => {
        if (generation === this.generation) this.tokenFailed(error);
      },
    );
  }

  private tokenFailed(error: unknown): void {
    this.emitError(CLIENT_ERROR_CODES.TOKEN_UNAVAILABLE, `the token provider failed: ${messageOf(error)}`);
    this.scheduleReconnect(false);
  }

  private open(generation: number, token: string | null): void {
    if (generation !== this.generation) return;
    if (token !== null && typeof token !== 'string') {
      this.emitError(CLIENT_ERROR_CODES.TOKEN_UNAVAILABLE, `the token provider returned ${typeof token}, expected a string or null`);
      return this.scheduleReconnect(false);
    }
    let socket: WebSocketLike;
    try {
      socket = new this.o.WebSocket(urlWithToken(this.o.url, token));
    } catch (error) {
      this.emitError(CLIENT_ERROR_CODES.CONNECTION_FAILED, `the WebSocket could not be created: ${messageOf(error)}`);
      return this.scheduleReconnect(false);
    }
    const connection: Connection = {
      socket,
      opened: false,
      connectedAt: null,
      httpStatus: null,
      lastHeardAt: this.o.timers.now(),
      pingTimer: null,
      silenceTimer: null,
      retryTimers: new Map(),
    };
    this.connection = connection;
    const current = () => this.connection === connection && generation === this.generation;
    socket.addEventListener('open', () => {
      if (current()) this.onOpen(connection);
    });
    socket.addEventListener('message', (event) => {
      if (current()) this.onFrame(connection, event.data);
    });
    socket.addEventListener('error', (event) => {
      if (current()) connection.httpStatus = upgradeStatusOf(event) ?? connection.httpStatus;
    });
    socket.addEventListener('close', (event) => {
      if (current()) this.onClose(connection, event.code, event.reason);
    });
    // The same watch covers a connect that hangs: no `open` within the timeout is a silent connection too.
    this.watchSilence(connection);
  }

  private onOpen(connection: Connection): void {
    connection.opened = true;
    connection.lastHeardAt = this.o.timers.now();
    // Before the state event: a listener that calls subscribe() on 'open' then sends that list once, not twice.
    for (const list of this.lists.keys()) this.apply(list, subscribing);
    this.setState('open');
    this.schedulePing(connection);
  }

  private onFrame(connection: Connection, data: unknown): void {
    connection.lastHeardAt = this.o.timers.now();
    if (typeof data !== 'string') {
      this.emitError(CLIENT_ERROR_CODES.INVALID_SERVER_MESSAGE, 'a binary frame; the protocol uses text frames only');
      return;
    }
    const parsed = parseServerMessage(data);
    if (!parsed.ok) {
      // A newer server may add messages and lists: those are skipped without noise.
      if (parsed.error.code === 'UNKNOWN_TYPE' || parsed.error.code === 'UNKNOWN_LIST') return;
      this.onInvalidFrame(data, `${parsed.error.code}: ${parsed.error.message}`);
      return;
    }
    if (parsed.value.type === 'connected') connection.connectedAt = this.o.timers.now();
    this.onMessage(parsed.value);
  }

  private onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'connected':
        if (message.epoch !== null && this.latestEpoch !== null && message.epoch > this.latestEpoch) {
          // The new_day was sent while this client was away.
          this.newDay(message.epoch);
        } else if (message.epoch !== null && this.latestEpoch === null) {
          this.latestEpoch = message.epoch;
        }
        return;
      case 'subscribed_list':
        this.apply(message.list, (state) => onSubscribed(state, message));
        return;
      case 'snapshot':
        if (this.latestEpoch === null || message.epoch > this.latestEpoch) this.latestEpoch = message.epoch;
        this.apply(message.list, (state) => onSnapshot(state, message));
        return;
      case 'delta':
        this.apply(message.list, (state) => onDelta(state, message));
        return;
      case 'new_day':
        this.newDay(message.epoch);
        return;
      case 'error':
        this.onServerError(message);
        return;
      case 'pong':
      case 'unsubscribed_list':
        return;
    }
  }

  /** A delta that fails validation is a gap in that list: ask for a snapshot instead of waiting for the next number. */
  private onInvalidFrame(text: string, reason: string): void {
    const list = deltaListOf(text);
    this.emitError(CLIENT_ERROR_CODES.INVALID_SERVER_MESSAGE, `skipped a server frame (${reason})`, list ?? undefined);
    if (list === null) return;
    this.apply(list, (state) =>
      state.pending === 'none'
        ? { state: { ...state, pending: 'resync' }, update: null, send: { action: 'resync', list }, error: null }
        : { state, update: null, send: null, error: null },
    );
  }

  private onServerError(message: ErrorMessage): void {
    this.events.emit('error', message.list === undefined ? { code: message.code, message: message.message } : { code: message.code, message: message.message, list: message.list });
    const list = message.list;
    if (list === undefined || !isScannerList(list) || !this.lists.has(list)) return;
    if (message.code === 'SNAPSHOT_UNAVAILABLE') {
      // The server dropped the subscription (protocol 4.3): subscribe again after a backoff delay.
      this.apply(list, onSubscriptionDropped);
      this.scheduleResubscribe(list);
    } else if (message.code === 'NOT_SUBSCRIBED') {
      // Our resync found no subscription (it was dropped meanwhile): subscribe again, unless one is already on its way.
      this.apply(list, onNotSubscribed);
    }
  }

  private newDay(epoch: string): void {
    if (this.latestEpoch !== null && epoch < this.latestEpoch) return;
    this.latestEpoch = epoch;
    const updates: TableUpdate[] = [];
    for (const [list, state] of this.lists) {
      const result = onNewDay(state, epoch);
      this.lists.set(list, result.state);
      if (result.update !== null) updates.push(result.update);
    }
    // Every table is already reset when a new_day listener looks at them.
    this.events.emit('new_day', { epoch });
    for (const update of updates) this.events.emit('table', update);
  }

  private apply(list: ScannerList, transition: (state: ListState) => Step): void {
    const state = this.lists.get(list);
    if (state === undefined) return;
    const result = transition(state);
    this.lists.set(list, result.state);
    if (result.send !== null) this.send(result.send);
    if (result.error !== null) this.events.emit('error', result.error);
    if (result.update !== null) this.events.emit('table', result.update);
  }

  private send(message: ClientMessage): void {
    const socket = this.connection?.socket;
    if (socket === undefined || socket.readyState !== SOCKET_OPEN) return;
    try {
      socket.send(JSON.stringify(message));
    } catch {
      // The socket is going down; its close event drives the reconnect, which sends everything again.
    }
  }

  private onClose(connection: Connection, code: number, reason: string): void {
    const decision = decideOnClose({ code, reason, opened: connection.opened, httpStatus: connection.httpStatus });
    this.endStreakIfLasted(connection);
    this.dropConnection();
    if (decision.kind === 'stop') {
      this.emitError(decision.error.code, decision.error.message);
      if (this.current !== 'stopped') this.halt();
      return;
    }
    if (decision.error !== null) this.emitError(decision.error.code, decision.error.message);
    this.scheduleReconnect(decision.throttled);
  }

  private watchSilence(connection: Connection): void {
    const check = () => {
      if (this.connection !== connection) return;
      const quietFor = this.o.timers.now() - connection.lastHeardAt;
      if (quietFor < this.o.silenceTimeoutMs) {
        connection.silenceTimer = this.o.timers.setTimeout(check, this.o.silenceTimeoutMs - quietFor);
        return;
      }
      this.emitError(
        CLIENT_ERROR_CODES.SILENT_CONNECTION,
        connection.opened
          ? `nothing received for ${quietFor} ms, not even a pong; reconnecting`
          : `the connection did not open within ${quietFor} ms; retrying`,
      );
      this.endStreakIfLasted(connection);
      this.dropConnection();
      // A dead peer never answers a close handshake: `ws` can drop the TCP connection at once.
      if (typeof connection.socket.terminate === 'function') {
        try {
          connection.socket.terminate();
        } catch {
          closeQuietly(connection.socket, SILENT_CLOSE_CODE, 'silent connection');
        }
      } else {
        closeQuietly(connection.socket, SILENT_CLOSE_CODE, 'silent connection');
      }
      this.scheduleReconnect(false);
    };
    // Re-armed only when it fires, never per message: a busy connection costs no timer churn.
    connection.silenceTimer = this.o.timers.setTimeout(check, this.o.silenceTimeoutMs);
  }

  private schedulePing(connection: Connection): void {
    connection.pingTimer = this.o.timers.setTimeout(() => {
      if (this.connection !== connection) return;
      this.send({ action: 'ping' });
      this.schedulePing(connection);
    }, this.o.pingIntervalMs);
  }

  private scheduleResubscribe(list: ScannerList): void {
    const connection = this.connection;
    if (connection === null) return;
    const previous = connection.retryTimers.get(list);
    if (previous !== undefined) this.o.timers.clearTimeout(previous);
    const delay = reconnectDelay(0, this.o.backoff, this.o.random, this.o.throttleMs);
    connection.retryTimers.set(
      list,
      this.o.timers.setTimeout(() => {
        connection.retryTimers.delete(list);
        if (this.connection === connection && this.lists.get(list)?.pending === 'retry') this.apply(list, subscribing);
      }, delay),
    );
  }

  /**
   * A connection the server accepted and kept for at least the longest backoff window was healthy: the
   * next drop starts the backoff over. One that is accepted and then dropped at once (a flapping or
   * overloaded server) keeps the window growing, so the client does not hammer it.
   */
  private endStreakIfLasted(connection: Connection): void {
    if (connection.connectedAt !== null && this.o.timers.now() - connection.connectedAt >= this.o.backoff.maxMs) this.attempt = 0;
  }

  /** Forgets the current socket (its late events are then ignored) and its timers. */
  private dropConnection(): void {
    const connection = this.connection;
    if (connection === null) return;
    this.connection = null;
    const { timers } = this.o;
    if (connection.pingTimer !== null) timers.clearTimeout(connection.pingTimer);
    if (connection.silenceTimer !== null) timers.clearTimeout(connection.silenceTimer);
    for (const timer of connection.retryTimers.values()) timers.clearTimeout(timer);
    connection.retryTimers.clear();
  }

  private scheduleReconnect(throttled: boolean): void {
    this.cancelReconnect();
    const delay = reconnectDelay(this.attempt, this.o.backoff, this.o.random, throttled ? this.o.throttleMs : 0);
    this.attempt++;
    const generation = ++this.generation;
    this.reconnectTimer = this.o.timers.setTimeout(() => {
      if (generation === this.generation) this.connect('reconnecting');
    }, delay);
    // Last: a state listener that calls stop() finds the timer and cancels it.
    this.setState('reconnecting');
  }

  private cancelReconnect(): void {
    if (this.reconnectTimer === null) return;
    this.o.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private setState(state: ConnectionState): void {
    if (this.current === state) return;
    this.current = state;
    this.events.emit('state', state);
  }

  private emitError(code: ClientErrorCode, message: string, list?: string): void {
    this.events.emit('error', list === undefined ? { code, message } : { code, message, list });
  }
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function closeQuietly(socket: WebSocketLike, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closed or closing: nothing left to release.
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The list of a frame that claims to be a delta, read loosely (the frame failed validation). */
function deltaListOf(text: string): ScannerList | null {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null) return null;
    const { type, list } = body as { type?: unknown; list?: unknown };
    return type === 'delta' && isScannerList(list) ? list : null;
  } catch {
    return null;
  }
}
