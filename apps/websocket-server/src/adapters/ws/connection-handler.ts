import { randomUUID } from 'node:crypto';
import type { Clock } from '@scanner/market-calendar';
import {
  CLOSE_CODES,
  type ClientMessage,
  type ResumePoint,
  SCANNER_LISTS,
  type ScannerList,
  encodeConnected,
  encodePong,
  encodeSubscribedList,
  encodeUnsubscribedList,
  parseClientMessage,
} from '@scanner/shared-types';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import { NO_SEQUENCE, canResume } from '../../core/client-delivery.js';
import { isLagging } from '../../core/slow-consumer.js';
import { type RateLimits, initialRateState, takeToken } from '../../core/rate-limiter.js';
import type { DayKeeper } from '../../app/day-keeper.js';
import type { ListHub } from '../../app/list-hub.js';
import type { ServerMetrics } from '../http/server-metrics.js';
import type { LastSnapshots } from '../memory/last-snapshots.js';
import { ClientConnection } from './client-connection.js';
import type { ClientRegistry } from './client-registry.js';
import { frameOf } from './frame.js';
import { closeAtExpiry } from './token-expiry.js';
import type { TokenIdentity } from './token-verifier.js';

export interface ConnectionHandlerOptions {
  readonly registry: ClientRegistry;
  readonly hub: ListHub;
  readonly cache: LastSnapshots;
  readonly day: DayKeeper;
  readonly clock: Clock;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  readonly rateLimits: RateLimits;
  readonly maxSubscriptions: number;
}

/** Speaks the client protocol (DESIGN 4.1) on one accepted socket. */
export class ConnectionHandler {
  constructor(private readonly o: ConnectionHandlerOptions) {}

  accept(socket: WebSocket, identity: TokenIdentity | null): ClientConnection {
    const { registry, clock, metrics, logger, day } = this.o;
    const id = randomUUID();
    const subject = identity?.subject ?? null;
    const client = new ClientConnection(
      id,
      socket,
      logger.child({ connection_id: id, ...(subject === null ? {} : { subject }) }),
      metrics,
      this.o.maxSubscriptions,
      initialRateState(clock.now().getTime(), this.o.rateLimits),
    );
    registry.add(client);
    metrics.connectionsOpened.inc();
    client.logger.debug({ event: 'client_connected' });

    socket.on('pong', () => {
      client.isAlive = true;
    });
    socket.on('message', (data, isBinary) => this.onMessage(client, data, isBinary));
    socket.on('error', (error) => {
      // ws closes the socket itself (1009 for an oversized frame, 1002 for a protocol error).
      client.logger.info({ event: 'client_socket_error', code: (error as { code?: string }).code, message: error.message });
    });
    const cancelExpiry = identity?.expiresAtMs == null ? null : closeAtExpiry(client, identity.expiresAtMs, clock);
    socket.on('close', (code) => {
      cancelExpiry?.();
      registry.remove(client);
      client.logger.debug({ event: 'client_disconnected', code });
    });

    client.send(
      frameOf(
        'connected',
        encodeConnected({ connection_id: id, epoch: day.epoch, lists: SCANNER_LISTS, server_time: clock.now().toISOString() }),
      ),
    );
    return client;
  }

  private onMessage(client: ClientConnection, data: RawData, isBinary: boolean): void {
    const { clock, metrics, rateLimits } = this.o;
    const { state, verdict } = takeToken(client.rate, clock.now().getTime(), rateLimits);
    client.rate = state;
    if (verdict !== 'allow') {
      metrics.messagesIn.labels('rate_limited').inc();
      if (verdict === 'close') {
        client.logger.warn({ event: 'client_rate_limit_closed', violations: state.violations });
        client.close(CLOSE_CODES.RATE_LIMITED, 'rate limited', 'rate_limited');
        return;
      }
      client.sendError({ code: 'RATE_LIMITED', message: `more than ${rateLimits.ratePerSecond} messages per second; slow down` });
      return;
    }
    if (isBinary) {
      metrics.messagesIn.labels('invalid').inc();
      client.sendError({ code: 'INVALID_MESSAGE', message: 'expected a text frame' });
      return;
    }
    const text = (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      metrics.messagesIn.labels('invalid').inc();
      client.sendError(parsed.error);
      return;
    }
    metrics.messagesIn.labels('ok').inc();
    this.dispatch(client, parsed.value).catch((error: unknown) => {
      client.logger.error({ event: 'client_message_failed', action: parsed.value.action, err: error });
      client.sendError({ code: 'INTERNAL_ERROR', message: 'the server could not handle this message' });
    });
  }

  private async dispatch(client: ClientConnection, message: ClientMessage): Promise<void> {
    switch (message.action) {
      case 'ping':
        client.send(frameOf('pong', encodePong({ timestamp: this.o.clock.now().toISOString() })));
        return;
      case 'subscribe_list':
        return this.subscribe(client, message.list, message.resume);
      case 'unsubscribe_list':
        return this.unsubscribe(client, message.list);
      case 'resync':
        return this.resync(client, message.list);
    }
  }

  private async subscribe(client: ClientConnection, list: ScannerList, resume: ResumePoint | undefined): Promise<void> {
    const outcome = client.subscriptions.add(list);
    if (outcome === 'limit_reached') {
      client.sendError({
        code: 'TOO_MANY_SUBSCRIPTIONS',
        message: `at most ${this.o.maxSubscriptions} subscriptions per connection`,
        list,
      });
      return;
    }
    this.o.registry.index(client, list);
    await this.sendState(client, list, resume, true);
  }

  private async resync(client: ClientConnection, list: ScannerList): Promise<void> {
    const subscription = client.subscriptions.get(list);
    if (subscription === undefined) {
      client.sendError({ code: 'NOT_SUBSCRIBED', message: `not subscribed to ${list}`, list });
      return;
    }
    subscription.pending = true;
    await this.sendState(client, list, undefined, false);
  }

  private unsubscribe(client: ClientConnection, list: ScannerList): void {
    if (!client.subscriptions.remove(list)) {
      client.sendError({ code: 'NOT_SUBSCRIBED', message: `not subscribed to ${list}`, list });
      return;
    }
    this.o.registry.unindex(client, list);
    client.send(frameOf('unsubscribed_list', encodeUnsubscribedList({ list })));
  }

  /**
   * The list's state for the current epoch. The read and the continuation here are separate steps, and
   * a new day (its GET shares the connection with the list's MGET) can land between them: a state of
   * an older epoch is read again, never sent after the client's new_day. A state the stream advanced
   * meanwhile is taken from memory, so the next delta fits it.
   */
  private async currentState(list: ScannerList): Promise<Awaited<ReturnType<ListHub['stateFor']>>> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await this.o.hub.stateFor(list);
      const epoch = this.o.day.epoch;
      if (result.state.epoch !== epoch) continue;
      const held = this.o.cache.get(list);
      return held !== undefined && held.epoch === epoch ? { state: held, source: result.source } : result;
    }
    throw new Error(`${list}: the trading day kept changing while it loaded`);
  }

  /**
   * Sends the list's current state to a pending subscription. Everything after the await runs in one
   * synchronous step, so the next broadcast for the list finds the client at the state's sequence.
   */
  private async sendState(
    client: ClientConnection,
    list: ScannerList,
    resume: ResumePoint | undefined,
    announce: boolean,
  ): Promise<void> {
    let result;
    try {
      result = await this.currentState(list);
    } catch (error) {
      client.logger.warn({ event: 'snapshot_unavailable', list, err: error });
      if (client.subscriptions.get(list)?.pending === true) {
        client.subscriptions.remove(list);
        this.o.registry.unindex(client, list);
      }
      client.sendError({ code: 'SNAPSHOT_UNAVAILABLE', message: `${list} cannot be read right now; subscribe again`, list });
      return;
    }
    const subscription = client.subscriptions.get(list);
    // A repeated subscribe is answered too: the client asked, and the state sent is the current one.
    if (subscription === undefined || !client.open) return;
    const { state, source } = result;
    if (announce) {
      client.send(frameOf('subscribed_list', encodeSubscribedList({ list, epoch: state.epoch, sequence: state.sequence })));
    }
    subscription.pending = false;
    if (canResume(resume, state)) {
      subscription.sequence = state.sequence;
    } else if (isLagging(client.slow)) {
      // Its buffer is the problem: the snapshot waits for the drain, where recovery sends one per list.
      // Answering every subscribe/resync here would let a stuck client grow its buffer on request.
      subscription.sequence = NO_SEQUENCE;
    } else {
      client.send(this.o.cache.snapshotFrame(state));
      this.o.metrics.snapshotSource.labels(source).inc();
      subscription.sequence = state.sequence;
    }
  }
}
