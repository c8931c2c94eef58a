import type { Clock } from '@scanner/market-calendar';
import type { DeltaStreamEntry } from '@scanner/redis-keys';
import { CLOSE_CODES, encodeDelta } from '@scanner/shared-types';
import { decideDelivery, NO_SEQUENCE } from '../../core/client-delivery.js';
import type { ListState } from '../../core/list-state.js';
import { type SlowConsumerLimits, evaluateSlowConsumer, isLagging } from '../../core/slow-consumer.js';
import type { ServerMetrics } from '../http/server-metrics.js';
import type { LastSnapshots } from '../memory/last-snapshots.js';
import type { ClientConnection } from './client-connection.js';
import type { ClientRegistry } from './client-registry.js';
import { type Frame, frameOf } from './frame.js';

export interface PublishOptions {
  /** The delta that produced `state`, when the update was one. */
  readonly delta?: DeltaStreamEntry;
  /** The state was replaced wholesale: every subscriber gets the snapshot. */
  readonly force: boolean;
  /** For the broadcast-duration metric. */
  readonly kind: 'delta' | 'snapshot' | 'reload';
}

/**
 * Fans list updates out to subscribers. Each message is encoded once per broadcast and the same Buffer
 * is queued on every socket; nothing here awaits a socket, so a slow client never delays the others.
 * Clients over the high watermark get no list updates until they drain (then one fresh snapshot per
 * list); over the hard limit for too long they are closed with 4008.
 */
export class Broadcaster {
  constructor(
    private readonly registry: ClientRegistry,
    private readonly cache: LastSnapshots,
    private readonly clock: Clock,
    private readonly limits: SlowConsumerLimits,
    private readonly metrics: ServerMetrics,
  ) {}

  publish(state: ListState, options: PublishOptions): void {
    const subscribers = this.registry.subscribersOf(state.list);
    if (subscribers.size === 0) return;
    const stopTimer = this.metrics.broadcastDuration.startTimer({ kind: options.kind });
    const now = this.clock.now().getTime();
    let deltaFrame: Frame | undefined;
    for (const client of subscribers) {
      const subscription = client.subscriptions.get(state.list);
      if (subscription === undefined || subscription.pending || !client.open) continue;
      if (!this.mayReceive(client, now)) continue;
      const delivery = decideDelivery({
        clientSequence: subscription.sequence,
        stateSequence: state.sequence,
        deltaSequence: options.delta?.sequence ?? null,
        force: options.force,
      });
      if (delivery.kind === 'delta' && options.delta !== undefined) {
        deltaFrame ??= deltaFrameOf(state, options.delta);
        client.send(deltaFrame);
      } else if (delivery.kind === 'snapshot') {
        if (delivery.reason !== 'forced') {
          client.logger.debug({ event: 'client_resynced', list: state.list, reason: delivery.reason, from: subscription.sequence, to: state.sequence });
        }
        client.send(this.cache.snapshotFrame(state));
      }
      subscription.sequence = state.sequence;
    }
    stopTimer();
  }

  /** One fresh snapshot per subscribed list, from memory; a list not in memory waits for its next update. */
  recover(client: ClientConnection): void {
    for (const list of client.subscriptions.lists()) {
      const subscription = client.subscriptions.get(list);
      if (subscription === undefined || subscription.pending) continue;
      const state = this.cache.get(list);
      if (state === undefined) {
        subscription.sequence = NO_SEQUENCE;
        continue;
      }
      client.send(this.cache.snapshotFrame(state));
      subscription.sequence = state.sequence;
    }
  }

  /**
   * Re-evaluates every client that is lagging or over the watermark: recovers the drained ones, closes
   * the stuck ones. Not only lagging ones: a buffer can also grow from answers to the client's own
   * requests while no list update arrives to notice it.
   */
  sweep(): void {
    const now = this.clock.now().getTime();
    for (const client of this.registry.all()) {
      // A client already closing stays registered until its close handshake ends (up to 30 s for a
      // stuck one); it has been dealt with.
      if (!client.open) continue;
      if (isLagging(client.slow) || client.bufferedAmount >= this.limits.highWatermarkBytes) this.mayReceive(client, now);
    }
  }

  private mayReceive(client: ClientConnection, now: number): boolean {
    const buffered = client.bufferedAmount;
    const { state, action } = evaluateSlowConsumer(client.slow, buffered, now, this.limits);
    client.slow = state;
    switch (action) {
      case 'send':
        return true;
      case 'skip':
        return false;
      case 'start_lagging':
        this.metrics.slowConsumer.labels('lagging').inc();
        client.logger.warn({ event: 'slow_consumer_lagging', buffered_bytes: buffered });
        return false;
      case 'recover':
        this.metrics.slowConsumer.labels('recovered').inc();
        client.logger.info({ event: 'slow_consumer_recovered', buffered_bytes: buffered });
        this.recover(client);
        return false;
      case 'close':
        this.metrics.slowConsumer.labels('closed').inc();
        client.logger.warn({ event: 'slow_consumer_closed', buffered_bytes: buffered });
        client.close(CLOSE_CODES.SLOW_CONSUMER, 'slow consumer', 'slow_consumer');
        return false;
    }
  }
}

function deltaFrameOf(state: ListState, delta: DeltaStreamEntry): Frame {
  return frameOf(
    'delta',
    encodeDelta({ list: state.list, epoch: state.epoch, sequence: delta.sequence, deltas: delta.deltas, timestamp: delta.timestamp }),
  );
}
