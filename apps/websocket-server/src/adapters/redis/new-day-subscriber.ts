import { type RedisKeys, decodeNewDayEvent } from '@scanner/redis-keys';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DayKeeper } from '../../app/day-keeper.js';
import type { ServerMetrics } from '../http/server-metrics.js';

export interface NewDayWatcherOptions {
  readonly subscriber: Redis;
  readonly commands: Redis;
  readonly keys: RedisKeys;
  readonly day: DayKeeper;
  readonly intervalMs: number;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
}

/**
 * Two ways to hear of a new trading day. Edge-triggered: the `message` event of the subscriber
 * connection (the seed passed a callback to subscribe(), which never fires for messages). Level-
 * triggered: trading:current_day is compared with the epoch on every (re)connect of either connection
 * and every intervalMs, so a message lost while the subscriber was disconnected still lands.
 */
export class NewDayWatcher {
  private timer: NodeJS.Timeout | null = null;
  private readonly onMessage = (channel: string, message: string) => {
    if (channel !== this.o.keys.newDayChannel) return;
    const decoded = decodeNewDayEvent(message);
    if (!decoded.ok) {
      this.o.metrics.newDayMessagesInvalid.inc();
      this.o.logger.warn({ event: 'new_day_message_invalid', code: decoded.error.code, message: decoded.error.message });
      return;
    }
    this.o.logger.info({ event: 'new_day_message_received', date: decoded.value.date });
    this.o.day.apply(decoded.value.date, 'pubsub');
  };
  private readonly onCommandsReady = () => this.check('redis_ready');
  private readonly onSubscriberReady = () => this.check('subscriber_ready');

  constructor(private readonly o: NewDayWatcherOptions) {}

  async start(): Promise<void> {
    const { subscriber, commands, keys, intervalMs } = this.o;
    subscriber.on('message', this.onMessage);
    commands.on('ready', this.onCommandsReady);
    subscriber.on('ready', this.onSubscriberReady);
    this.timer = setInterval(() => this.check('interval'), intervalMs);
    this.timer.unref();
    try {
      await subscriber.subscribe(keys.newDayChannel);
    } catch (error) {
      // ioredis subscribes again on its own once the connection is back (autoResubscribe).
      this.o.logger.error({ event: 'new_day_subscribe_failed', channel: keys.newDayChannel, err: error });
    }
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.o.subscriber.off('message', this.onMessage);
    this.o.commands.off('ready', this.onCommandsReady);
    this.o.subscriber.off('ready', this.onSubscriberReady);
  }

  check(trigger: string): void {
    this.o.day.check(trigger).catch((error: unknown) => {
      this.o.logger.warn({ event: 'current_day_check_failed', trigger, message: error instanceof Error ? error.message : String(error) });
    });
  }
}
