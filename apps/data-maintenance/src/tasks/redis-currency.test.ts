import { nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { redisCurrency } from './redis-currency.js';

const base = { calendar: nyseCalendar, maintenanceMinuteOfDay: 17 * 60, graceSeconds: 6 * 3600 };

describe('redisCurrency', () => {
  it('writes a Friday session until Monday evening plus grace', () => {
    // Friday 2026-11-20 17:30 New York (22:30 UTC) -> Monday 2026-11-23 17:00 New York (22:00 UTC) + 6 h.
    const now = new Date('2026-11-20T22:30:00Z');
    const result = redisCurrency({ ...base, date: '2026-11-20', lastRun: '2026-11-19', now });
    const expected = (Date.parse('2026-11-24T04:00:00Z') - now.getTime()) / 1000;
    expect(result).toEqual({ write: true, ttlSeconds: expected });
  });

  it('does not roll the caches back to an older session', () => {
    const result = redisCurrency({ ...base, date: '2026-11-18', lastRun: '2026-11-20', now: new Date('2026-11-18T22:30:00Z') });
    expect(result.write).toBe(false);
    if (!result.write) expect(result.reason).toContain('2026-11-20');
  });

  it('re-running the session the caches hold writes again', () => {
    const result = redisCurrency({ ...base, date: '2026-11-20', lastRun: '2026-11-20', now: new Date('2026-11-21T10:00:00Z') });
    expect(result.write).toBe(true);
  });

  it('does not write values whose calendar lifetime is over', () => {
    // The 2026-11-02 values live until 2026-11-03 17:00 New York + 6 h; a backfill a week later must not write them.
    const result = redisCurrency({ ...base, date: '2026-11-02', lastRun: null, now: new Date('2026-11-10T15:00:00Z') });
    expect(result.write).toBe(false);
    const justBefore = redisCurrency({ ...base, date: '2026-11-02', lastRun: null, now: new Date('2026-11-04T03:59:00Z') });
    expect(justBefore).toEqual({ write: true, ttlSeconds: 60 });
  });
});
