import { FULL_DAY_SLOTS, isValidIsoDate, type IsoDate, type TradingCalendar } from '@scanner/market-calendar';
import { CoreError } from './core-error.js';

export const DEFAULT_RVOL_SESSIONS = 5;

export interface RvolWindow {
  /** The full sessions averaged over, oldest first. */
  readonly sessions: readonly IsoDate[];
  /** Early-close sessions passed over while collecting them, oldest first. */
  readonly skippedEarlyClose: readonly IsoDate[];
}

/**
 * The last `count` FULL sessions up to and including `target`: early-close sessions (42 slots, an
 * afternoon that never happened) would drag the 13:00-16:00 baselines down, so each one is skipped
 * and an older full session taken instead. A non-trading target starts from the session before it.
 */
export function rvolWindow(calendar: TradingCalendar, target: IsoDate, count = DEFAULT_RVOL_SESSIONS): RvolWindow {
  if (!Number.isInteger(count) || count < 1) {
    throw new CoreError('INVALID_ARGUMENT', `the RVOL window needs a positive session count, got ${count}`);
  }
  const sessions: IsoDate[] = [];
  const skippedEarlyClose: IsoDate[] = [];
  let day = calendar.tradingDayOnOrBefore(target);
  for (;;) {
    if (calendar.isEarlyClose(day)) skippedEarlyClose.push(day);
    else sessions.push(day);
    if (sessions.length === count) break;
    day = calendar.previousTradingDay(day);
  }
  return { sessions: sessions.reverse(), skippedEarlyClose: skippedEarlyClose.reverse() };
}

/** One stored slot value (a volume_slots row). */
export interface SlotSample {
  readonly symbol: string;
  readonly date: IsoDate;
  readonly slotNumber: number;
  readonly volumeAccumulated: number;
}

export interface SlotAverage {
  readonly symbol: string;
  readonly slotNumber: number;
  readonly avgVolume: number;
  /** Window sessions the symbol has data in (the divisor). */
  readonly sessions: number;
}

/**
 * Per symbol and slot, the mean cumulative volume over the window sessions the symbol has data in
 * (a symbol listed mid-window averages over fewer sessions; `sessions` says how many). Every slot
 * 0..slotCount-1 is written for every symbol with data. Within a session, a missing slot takes the
 * previous slot's cumulative value (nothing traded is recorded in between), and slots before the
 * session's first stored slot take 0. Samples outside the window are ignored.
 */
export function computeSlotAverages(
  samples: Iterable<SlotSample>,
  window: readonly IsoDate[],
  slotCount = FULL_DAY_SLOTS,
): SlotAverage[] {
  const sessionIndex = new Map<IsoDate, number>();
  for (const date of window) {
    if (!isValidIsoDate(date)) throw new CoreError('INVALID_ARGUMENT', `window date ${JSON.stringify(date)} is not YYYY-MM-DD`);
    if (!sessionIndex.has(date)) sessionIndex.set(date, sessionIndex.size);
  }

  // symbol -> per window session, the slot values (NaN = not stored), or undefined when the symbol has no data that session.
  const grid = new Map<string, Array<Float64Array | undefined>>();
  for (const sample of samples) {
    const s = sessionIndex.get(sample.date);
    if (s === undefined) continue;
    if (!Number.isInteger(sample.slotNumber) || sample.slotNumber < 0 || sample.slotNumber >= slotCount) {
      throw new CoreError('INVALID_ARGUMENT', `${sample.symbol} ${sample.date}: slot ${sample.slotNumber} is outside 0-${slotCount - 1}`);
    }
    if (!Number.isFinite(sample.volumeAccumulated) || sample.volumeAccumulated < 0) {
      throw new CoreError('INVALID_BAR', `${sample.symbol} ${sample.date} slot ${sample.slotNumber}: volume ${sample.volumeAccumulated}`);
    }
    let sessions = grid.get(sample.symbol);
    if (!sessions) {
      sessions = new Array<Float64Array | undefined>(sessionIndex.size).fill(undefined);
      grid.set(sample.symbol, sessions);
    }
    let slots = sessions[s];
    if (!slots) {
      slots = new Float64Array(slotCount).fill(Number.NaN);
      sessions[s] = slots;
    }
    slots[sample.slotNumber] = sample.volumeAccumulated;
  }

  const out: SlotAverage[] = [];
  for (const symbol of [...grid.keys()].sort()) {
    const present = (grid.get(symbol) ?? []).filter((s): s is Float64Array => s !== undefined);
    const sums = new Float64Array(slotCount);
    for (const slots of present) {
      let carried = 0;
      for (let i = 0; i < slotCount; i++) {
        const value = slots[i] as number;
        if (!Number.isNaN(value)) carried = value;
        sums[i] = (sums[i] as number) + carried;
      }
    }
    for (let i = 0; i < slotCount; i++) {
      out.push({ symbol, slotNumber: i, avgVolume: (sums[i] as number) / present.length, sessions: present.length });
    }
  }
  return out;
}
