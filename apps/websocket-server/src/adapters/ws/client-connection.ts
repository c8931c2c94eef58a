import { type ProtocolError, encodeError } from '@scanner/shared-types';
import { WebSocket } from 'ws';
import type { Logger } from 'pino';
import { type RateState } from '../../core/rate-limiter.js';
import { HEALTHY, type SlowConsumerState } from '../../core/slow-consumer.js';
import { Subscriptions } from '../../core/subscriptions.js';
import type { ServerMetrics } from '../http/server-metrics.js';
import { type Frame, frameOf } from './frame.js';

/** One client: its socket, its lists and the per-connection limits' state. */
export class ClientConnection {
  readonly subscriptions: Subscriptions;
  rate: RateState;
  slow: SlowConsumerState = HEALTHY;
  /** Cleared at each protocol ping, set by the pong: still false at the next ping means a dead peer. */
  isAlive = true;

  constructor(
    readonly id: string,
    readonly socket: WebSocket,
    readonly logger: Logger,
    private readonly metrics: ServerMetrics,
    maxSubscriptions: number,
    rate: RateState,
  ) {
    this.subscriptions = new Subscriptions(maxSubscriptions);
    this.rate = rate;
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  /** Queues the frame without waiting: a slow socket never holds up the caller (the broadcast loop). */
  send(frame: Frame): boolean {
    if (!this.open) return false;
    this.socket.send(frame.data, { binary: false });
    this.metrics.countSent(frame.type, frame.data.length);
    return true;
  }

  sendError(error: ProtocolError): void {
    this.metrics.clientErrors.labels(error.code).inc();
    this.send(frameOf('error', encodeError(error)));
  }

  close(code: number, reason: string, metricReason: string): void {
    if (this.socket.readyState === WebSocket.CLOSED || this.socket.readyState === WebSocket.CLOSING) return;
    this.metrics.closes.labels(metricReason).inc();
    this.socket.close(code, reason);
  }
}
