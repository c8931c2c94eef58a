import { addCalendarDays, newYorkInstant, type TradingCalendar } from '@scanner/market-calendar';
import type { IntradayBar } from '../../src/sources/market-data-source.js';

/**
 * Expected volume slots computed the plain way, independently of src/core: for each slot of the
 * regular session, the sum of the volume of every bar of the New York day that started before the
 * slot's end (pre-market included).
 */
export function naiveSlots(calendar: TradingCalendar, date: string, bars: readonly IntradayBar[]): number[] {
  const session = calendar.session(date);
  const dayStart = newYorkInstant(date, 0, 0).getTime();
  const dayEnd = newYorkInstant(addCalendarDays(date, 1), 0, 0).getTime();
  const out: number[] = [];
  for (let i = 0; i < session.slotCount; i++) {
    const end = session.marketOpen.getTime() + (i + 1) * 5 * 60_000;
    out.push(bars.filter((b) => b.startMs >= dayStart && b.startMs < dayEnd && b.startMs < end).reduce((n, b) => n + b.volume, 0));
  }
  return out;
}

/** The plain mean per slot over the sessions a symbol has (full sessions: 78 slots each). */
export function naiveAverages(perSession: readonly number[][]): number[] {
  const out: number[] = [];
  for (let slot = 0; slot < 78; slot++) out.push(perSession.reduce((n, s) => n + (s[slot] as number), 0) / perSession.length);
  return out;
}
