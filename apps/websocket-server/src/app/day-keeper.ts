import type { IsoDate, TradingCalendar, Clock } from '@scanner/market-calendar';
import type { Logger } from 'pino';
import { decideNewDay } from '../core/new-day.js';
import { calendarEpoch } from '../core/production-day.js';
import { SingleFlight } from '../core/single-flight.js';
import type { CurrentDayReading } from '../adapters/redis/current-day-reader.js';

/** `stream`: upstream's own entries were already of a later trading day (see classifyEntryDay). */
export type NewDaySource = 'pubsub' | 'level_check' | 'calendar' | 'http' | 'stream';

export type ApplyResult = 'initial' | 'applied' | 'unchanged' | 'ignored_older';

export interface DayKeeperOptions {
  readonly clock: Clock;
  readonly calendar: TradingCalendar;
  readonly logger: Logger;
  readonly readCurrentDay: () => Promise<CurrentDayReading>;
  /** Runs synchronously when the day advances, before apply() returns. */
  readonly onNewDay: (epoch: IsoDate, source: NewDaySource) => void;
}

/**
 * Owns the server's epoch (the trading day its data belongs to). Every announcement path lands in
 * apply(): the Pub/Sub message, the level-triggered check of trading:current_day, and the HTTP
 * fallback. Re-applying the current day is a no-op; an older day is ignored.
 */
export class DayKeeper {
  private current: IsoDate | null = null;
  private readonly checks = new SingleFlight<'check', IsoDate>();

  constructor(private readonly options: DayKeeperOptions) {}

  get epoch(): IsoDate | null {
    return this.current;
  }

  /** The epoch, reading Redis first if the server does not know it yet. */
  async ensureEpoch(): Promise<IsoDate> {
    return this.current ?? (await this.check('startup'));
  }

  /**
   * The epoch to serve a subscriber with. Once the calendar is past the epoch (between midnight and the
   * 03:00 announcement, or after an announcement this node never heard) the lists in memory may belong
   * to a day that is over: trading:current_day is read first, so no subscriber gets yesterday's rows
   * from memory while the periodic check has not run yet. During the trading day this reads nothing.
   * Redis unreachable: the epoch held, as every other read falls back to what memory has.
   */
  async servingEpoch(): Promise<IsoDate> {
    const current = this.current;
    if (current === null) return this.check('startup');
    const { clock, calendar, logger } = this.options;
    if (calendarEpoch(clock.now(), calendar) <= current) return current;
    try {
      return await this.check('subscribe');
    } catch (error) {
      logger.warn({ event: 'current_day_check_failed', trigger: 'subscribe', message: error instanceof Error ? error.message : String(error) });
      return this.current ?? current;
    }
  }

  /** The level-triggered check: trading:current_day, else the calendar's trading day for now. */
  check(trigger: string): Promise<IsoDate> {
    return this.checks.run('check', async () => {
      const reading = await this.options.readCurrentDay();
      const { logger, clock, calendar } = this.options;
      if (reading.kind === 'date') {
        this.apply(reading.date, 'level_check');
      } else {
        if (reading.kind === 'invalid') logger.error({ event: 'current_day_invalid', trigger, message: reading.message });
        // A garbage key says nothing: keep the epoch the server has, else fall back to the calendar.
        if (reading.kind === 'missing' || this.current === null) this.apply(calendarEpoch(clock.now(), calendar), 'calendar');
      }
      return this.current as IsoDate;
    });
  }

  apply(date: IsoDate, source: NewDaySource): ApplyResult {
    const { logger } = this.options;
    const previous = this.current;
    const decision = decideNewDay(previous, date);
    switch (decision) {
      case 'initial':
        this.current = date;
        logger.info({ event: 'epoch_initialized', epoch: date, source });
        return 'initial';
      case 'same':
        logger.debug({ event: 'new_day_already_applied', epoch: date, source });
        return 'unchanged';
      case 'older':
        logger.warn({ event: 'new_day_older_ignored', epoch: previous, announced: date, source });
        return 'ignored_older';
      case 'advance':
        this.current = date;
        logger.info({ event: 'new_day_detected', previous_epoch: previous, epoch: date, source });
        this.options.onNewDay(date, source);
        return 'applied';
    }
  }
}
