import { addCalendarDays, newYorkInstant, SLOT_MINUTES, type SessionTimes } from '@scanner/market-calendar';
import { CoreError } from './core-error.js';

/** The part of an intraday bar the slots need (a source's IntradayBar fits). */
export interface VolumeBar {
  /** Bar start, epoch ms. */
  readonly startMs: number;
  readonly volume: number;
}

/** One regular-session slot of one symbol's day. */
export interface SlotVolume {
  /** 0-based: slot 0 is 09:30-09:35 New York. */
  readonly slotNumber: number;
  /** The slot's END instant: the moment `volumeAccumulated` describes. */
  readonly slotTime: Date;
  /** The day's cumulative volume (pre-market included) at the end of the slot. */
  readonly volumeAccumulated: number;
}

export interface VolumeSlotsResult {
  /** 78 slots, or 42 on an early-close day; always every slot of the session. */
  readonly slots: readonly SlotVolume[];
  /** Volume traded before 09:30 (from New York midnight). */
  readonly preMarketVolume: number;
  /** Bars outside the session's New York date, ignored (a source returning a neighbour day's bars). */
  readonly barsOutsideDay: number;
}

const SLOT_MS = SLOT_MINUTES * 60_000;

/**
 * A symbol's cumulative volume at the end of each regular-session slot. A bar counts towards slot i
 * when it starts before the slot's end, so pre-market bars count from slot 0 and a slot with no bar
 * carries the previous cumulative forward (a symbol silent until 10:00 shows its pre-market volume,
 * possibly 0, in the earlier slots). Post-market bars count nowhere. A symbol with no bars at all gets
 * every slot at 0: it existed and did not trade.
 */
export function computeVolumeSlots(bars: readonly VolumeBar[], session: SessionTimes): VolumeSlotsResult {
  const dayStartMs = newYorkInstant(session.date, 0, 0).getTime();
  const dayEndMs = newYorkInstant(addCalendarDays(session.date, 1), 0, 0).getTime();
  const openMs = session.marketOpen.getTime();

  // Volume traded within each slot; what trades before the open goes to preMarketVolume instead.
  const perSlot = new Float64Array(session.slotCount);
  let preMarketVolume = 0;
  let barsOutsideDay = 0;
  const starts = new Set<number>();
  for (const bar of bars) {
    if (!Number.isFinite(bar.startMs) || !Number.isFinite(bar.volume) || bar.volume < 0) {
      throw new CoreError('INVALID_BAR', `bar at ${String(bar.startMs)} has volume ${String(bar.volume)}`);
    }
    if (starts.has(bar.startMs)) {
      throw new CoreError('DUPLICATE_BARS', `two bars start at ${new Date(bar.startMs).toISOString()}`);
    }
    starts.add(bar.startMs);
    if (bar.startMs < dayStartMs || bar.startMs >= dayEndMs) {
      barsOutsideDay += 1;
      continue;
    }
    if (bar.startMs < openMs) {
      preMarketVolume += bar.volume;
      continue;
    }
    // A bar starting at 09:37 (unaligned source) counts from the slot that ends after its start.
    const index = Math.floor((bar.startMs - openMs) / SLOT_MS);
    if (index < session.slotCount) perSlot[index] = (perSlot[index] ?? 0) + bar.volume;
  }

  const slots: SlotVolume[] = [];
  let cumulative = preMarketVolume;
  for (let i = 0; i < session.slotCount; i++) {
    cumulative += perSlot[i] ?? 0;
    slots.push({ slotNumber: i, slotTime: new Date(openMs + (i + 1) * SLOT_MS), volumeAccumulated: cumulative });
  }
  return { slots, preMarketVolume, barsOutsideDay };
}
