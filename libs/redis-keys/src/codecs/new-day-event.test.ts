import { describe, expect, it } from 'vitest';
import { RedisKeyError } from '../redis-key-error.js';
import { decodeNewDayEvent, encodeNewDayEvent, newDayEvent } from './new-day-event.js';

describe('new-day event', () => {
  const event = newDayEvent('2025-11-26', new Date('2025-11-26T08:00:00.120Z'));

  it('encodes exactly the seed message, keys in order', () => {
    expect(encodeNewDayEvent(event)).toBe(
      '{"event":"new_trading_day","date":"2025-11-26","timestamp":"2025-11-26T08:00:00.120Z","action":"clear_caches"}',
    );
  });

  it('decodes what it encodes', () => {
    expect(decodeNewDayEvent(encodeNewDayEvent(event))).toEqual({ ok: true, value: event });
  });

  it('accepts the bare-date timestamp of the Python publisher', () => {
    const python = '{"event": "new_trading_day", "date": "2025-11-26", "timestamp": "2025-11-26", "action": "clear_caches"}';
    expect(decodeNewDayEvent(python)).toEqual({
      ok: true,
      value: { event: 'new_trading_day', date: '2025-11-26', timestamp: '2025-11-26', action: 'clear_caches' },
    });
  });

  it('ignores extra fields instead of failing to clear caches', () => {
    const text = `${encodeNewDayEvent(event).slice(0, -1)},"source":"maintenance-2","__proto__":{"action":"x"}}`;
    const decoded = decodeNewDayEvent(text);
    expect(decoded).toEqual({ ok: true, value: event });
    expect(decoded.ok && Object.keys(decoded.value)).toEqual(['event', 'date', 'timestamp', 'action']);
  });

  const base = { event: 'new_trading_day', date: '2025-11-26', timestamp: '2025-11-26T08:00:00Z', action: 'clear_caches' };

  it.each([
    ['not JSON', 'new_trading_day', 'INVALID_JSON'],
    ['an array', JSON.stringify([base]), 'INVALID_PAYLOAD'],
    ['null', 'null', 'INVALID_PAYLOAD'],
    ['another event', JSON.stringify({ ...base, event: 'market_closed' }), 'UNKNOWN_EVENT'],
    ['another action', JSON.stringify({ ...base, action: 'drop_everything' }), 'UNKNOWN_EVENT'],
    ['an event that is not text', JSON.stringify({ ...base, event: 1 }), 'INVALID_PAYLOAD'],
    ['no event', JSON.stringify({ ...base, event: undefined }), 'INVALID_PAYLOAD'],
    ['a date that does not exist', JSON.stringify({ ...base, date: '2025-02-29' }), 'INVALID_DATE'],
    ['a date with a time', JSON.stringify({ ...base, date: '2025-11-26T00:00:00Z' }), 'INVALID_DATE'],
    ['a numeric date', JSON.stringify({ ...base, date: 20251126 }), 'INVALID_PAYLOAD'],
    ['no date', JSON.stringify({ ...base, date: undefined }), 'INVALID_PAYLOAD'],
    ['a timestamp that is no instant', JSON.stringify({ ...base, timestamp: 'tomorrow' }), 'INVALID_PAYLOAD'],
    ['a numeric timestamp', JSON.stringify({ ...base, timestamp: 1764144000 }), 'INVALID_PAYLOAD'],
    ['an object timestamp', JSON.stringify({ ...base, timestamp: {} }), 'INVALID_PAYLOAD'],
    ['no timestamp', JSON.stringify({ ...base, timestamp: undefined }), 'INVALID_PAYLOAD'],
  ])('refuses %s', (_label, text, code) => {
    expect(decodeNewDayEvent(text)).toMatchObject({ ok: false, error: { code } });
  });

  it('refuses to build or encode a wrong event', () => {
    expect(() => newDayEvent('2025-02-29', new Date())).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }) as Error);
    expect(() => newDayEvent('2025-11-26', new Date(Number.NaN))).toThrow(RedisKeyError);
    expect(() => encodeNewDayEvent({ ...event, date: 'today' })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }) as Error);
  });
});
