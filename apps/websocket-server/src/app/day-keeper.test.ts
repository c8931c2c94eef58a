import { ManualClock, type IsoDate, nyseCalendar } from '@scanner/market-calendar';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { CurrentDayReading } from '../adapters/redis/current-day-reader.js';
import { DayKeeper, type NewDaySource } from './day-keeper.js';

/** A DayKeeper whose trading:current_day is `stored` (a function of the test), counting reads and new days. */
function keeper(start: string, stored: () => CurrentDayReading | Error) {
  const clock = new ManualClock(start);
  const advanced: [IsoDate, NewDaySource][] = [];
  let reads = 0;
  const day = new DayKeeper({
    clock,
    calendar: nyseCalendar,
    logger: pino({ level: 'silent' }),
    readCurrentDay: async () => {
      reads++;
      const value = stored();
      if (value instanceof Error) throw value;
      return value;
    },
    onNewDay: (epoch, source) => advanced.push([epoch, source]),
  });
  return { day, clock, advanced, reads: () => reads };
}

describe('DayKeeper.servingEpoch', () => {
  it('reads nothing while the calendar has not passed the epoch (the trading day itself)', async () => {
    const k = keeper('2025-11-26T15:00:00.000Z', () => ({ kind: 'date', date: '2025-11-26' }));
    await k.day.check('startup');
    expect(await k.day.servingEpoch()).toBe('2025-11-26');
    expect(k.reads()).toBe(1);
  });

  it('once the calendar is past the epoch, reads trading:current_day first and applies an announcement it missed', async () => {
    let stored: IsoDate = '2025-11-25';
    const k = keeper('2025-11-26T07:55:00.000Z', () => ({ kind: 'date', date: stored }));
    await k.day.check('startup');
    expect(await k.day.servingEpoch()).toBe('2025-11-25');
    stored = '2025-11-26';
    expect(await k.day.servingEpoch()).toBe('2025-11-26');
    expect(k.advanced).toEqual([['2025-11-26', 'level_check']]);
  });

  it('keeps the held epoch when Redis cannot be read', async () => {
    let failing = false;
    const k = keeper('2025-11-26T08:10:00.000Z', () => (failing ? new Error('Connection is closed.') : { kind: 'date', date: '2025-11-25' }));
    await k.day.check('startup');
    failing = true;
    expect(await k.day.servingEpoch()).toBe('2025-11-25');
    expect(k.advanced).toEqual([]);
  });
});
