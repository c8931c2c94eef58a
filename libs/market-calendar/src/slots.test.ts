import { describe, expect, it } from 'vitest';
import { nyseCalendar as calendar } from './trading-calendar.js';

const at = (iso: string) => new Date(iso);
const calendarError = (code: string) => expect.objectContaining({ name: 'CalendarError', code });

describe('five-minute slots of the regular session', () => {
  it('has 78 slots on a full day, from 09:30 to 16:00', () => {
    expect(calendar.slotCount('2026-11-20')).toBe(78);
    expect(calendar.slot('2026-11-20', 0)).toEqual({
      date: '2026-11-20',
      index: 0,
      start: at('2026-11-20T14:30:00Z'),
      end: at('2026-11-20T14:35:00Z'),
    });
    expect(calendar.slot('2026-11-20', 77)).toMatchObject({ start: at('2026-11-20T20:55:00Z'), end: at('2026-11-20T21:00:00Z') });
    expect(() => calendar.slot('2026-11-20', 78)).toThrow(calendarError('INVALID_ARGUMENT'));
    expect(() => calendar.slot('2026-11-20', -1)).toThrow(calendarError('INVALID_ARGUMENT'));
    expect(() => calendar.slot('2026-11-20', 1.5)).toThrow(calendarError('INVALID_ARGUMENT'));
  });

  it('has 42 slots on an early-close day, from 09:30 to 13:00', () => {
    expect(calendar.slotCount('2026-11-27')).toBe(42);
    expect(calendar.slot('2026-11-27', 41)).toMatchObject({ start: at('2026-11-27T17:55:00Z'), end: at('2026-11-27T18:00:00Z') });
    expect(() => calendar.slot('2026-11-27', 42)).toThrow(calendarError('INVALID_ARGUMENT'));
    expect(calendar.slotAt(at('2026-11-27T17:59:59.999Z'))?.index).toBe(41);
    expect(calendar.slotAt(at('2026-11-27T18:00:00Z'))).toBeNull();
  });

  it.each([
    ['2026-11-20T14:29:59.999Z', null],
    ['2026-11-20T14:30:00Z', 0],
    ['2026-11-20T14:34:59.999Z', 0],
    ['2026-11-20T14:35:00Z', 1],
    ['2026-11-20T17:00:00Z', 30],
    ['2026-11-20T20:59:59.999Z', 77],
    ['2026-11-20T21:00:00Z', null],
    ['2026-11-26T17:00:00Z', null],
  ])('slotAt(%s) is %s', (instant, index) => {
    expect(calendar.slotAt(at(instant))?.index ?? null).toBe(index);
  });

  it('puts every slot start back in its own slot, across the DST switches', () => {
    for (const date of ['2026-03-06', '2026-03-09', '2026-10-30', '2026-11-02', '2026-11-27']) {
      const count = calendar.slotCount(date);
      for (let index = 0; index < count; index++) {
        const slot = calendar.slot(date, index);
        expect(calendar.slotAt(slot.start)).toEqual(slot);
        expect(slot.end.getTime() - slot.start.getTime()).toBe(300_000);
      }
    }
    expect(calendar.slot('2026-03-09', 0).start).toEqual(at('2026-03-09T13:30:00Z'));
    expect(calendar.slot('2026-11-02', 0).start).toEqual(at('2026-11-02T14:30:00Z'));
  });

  it('has no slots on a day that does not trade', () => {
    expect(() => calendar.slotCount('2026-11-26')).toThrow(calendarError('NOT_A_TRADING_DAY'));
    expect(() => calendar.slot('2026-11-21', 0)).toThrow(calendarError('NOT_A_TRADING_DAY'));
  });
});
