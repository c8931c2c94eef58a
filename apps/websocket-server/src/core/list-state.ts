import type { IsoDate, TradingCalendar } from '@scanner/market-calendar';
import type { DeltaStreamEntry, RankingStreamEntry } from '@scanner/redis-keys';
import { type ScannerList, type ScannerRow, applyRankingDeltas } from '@scanner/shared-types';
import { instantOf, latestRowInstant, tradingDayOf } from './production-day.js';

/** What the server holds for one list: the rows as of `sequence`, for trading day `epoch`. */
export interface ListState {
  readonly list: ScannerList;
  readonly epoch: IsoDate;
  /** 0 when nothing has been written for this list today (rows then empty). */
  readonly sequence: number;
  readonly rows: readonly ScannerRow[];
  /** When upstream produced this state (ISO); for an empty list nobody produced, when the server saw it. */
  readonly timestamp: string;
}

export type EntryOutcome =
  | { readonly kind: 'delta'; readonly state: ListState; readonly delta: DeltaStreamEntry }
  | { readonly kind: 'snapshot'; readonly state: ListState; readonly reason: 'initial' | 'advance' | 'restart' }
  | { readonly kind: 'ignored'; readonly reason: 'duplicate' | 'stale_day' }
  | { readonly kind: 'reload'; readonly reason: 'gap' | 'conflict' | 'no_state'; readonly detail: string };

export interface ApplyEntryInput {
  readonly state: ListState | undefined;
  readonly entry: RankingStreamEntry;
  readonly epoch: IsoDate;
  readonly calendar: TradingCalendar;
}

/**
 * What one stream entry does to a list. Deltas apply only on top of exactly the previous sequence;
 * anything else the server cannot patch is a reload from Redis, never a guess. A snapshot with a lower
 * sequence, or the same sequence with other rows, is upstream starting again (a restart): it replaces
 * the state.
 */
export function applyStreamEntry({ state, entry, epoch, calendar }: ApplyEntryInput): EntryOutcome {
  const instant = instantOf(entry.timestamp);
  const day = instant === null ? null : tradingDayOf(instant, calendar);
  if (day === null || day < epoch) return { kind: 'ignored', reason: 'stale_day' };

  if (entry.type === 'snapshot') {
    const next: ListState = { list: entry.list, epoch, sequence: entry.sequence, rows: entry.rows, timestamp: entry.timestamp };
    if (state === undefined) return { kind: 'snapshot', state: next, reason: 'initial' };
    if (entry.sequence > state.sequence) return { kind: 'snapshot', state: next, reason: 'advance' };
    if (entry.sequence < state.sequence) return { kind: 'snapshot', state: next, reason: 'restart' };
    // Same sequence: the entry a reload already read from the keys (same rows), or upstream restarted
    // at 1 again before any delta (other rows): ignoring that would patch later deltas onto wrong rows.
    if (sameRows(entry.rows, state.rows)) return { kind: 'ignored', reason: 'duplicate' };
    return { kind: 'snapshot', state: next, reason: 'restart' };
  }

  if (state === undefined) return { kind: 'reload', reason: 'no_state', detail: `delta ${entry.sequence} with no state held` };
  if (entry.sequence <= state.sequence) return { kind: 'ignored', reason: 'duplicate' };
  if (entry.sequence !== state.sequence + 1) {
    return { kind: 'reload', reason: 'gap', detail: `held ${state.sequence}, got delta ${entry.sequence}` };
  }
  const applied = applyRankingDeltas(state.rows, entry.deltas, entry.timestamp);
  if (!applied.ok) return { kind: 'reload', reason: 'conflict', detail: applied.error.message };
  return {
    kind: 'delta',
    state: { list: entry.list, epoch, sequence: entry.sequence, rows: applied.value, timestamp: entry.timestamp },
    delta: entry,
  };
}

/** Rows compared as upstream wrote them; a key-order difference only costs one redundant snapshot. */
function sameRows(a: readonly ScannerRow[], b: readonly ScannerRow[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}

/** `scanner:category:<L>` and `scanner:sequence:<L>` as one atomic read returned them; null = key absent. */
export interface LoadedList {
  readonly rows: readonly ScannerRow[] | null;
  readonly sequence: number | null;
}

export interface LoadedState {
  readonly state: ListState;
  /** The keys held a previous trading day's rows, served as an empty list for `epoch`. */
  readonly stale: boolean;
}

/**
 * The state a Redis read gives for the current epoch. Between the new day (03:00 ET) and upstream's
 * first write of the day (04:00 ET) Redis still holds yesterday's lists: those are served as an empty
 * list with sequence 0 ("nothing written today"), so the first delta of the day is a gap and triggers a
 * fresh read instead of being patched onto rows the client never had.
 */
export function stateFromLoad(list: ScannerList, loaded: LoadedList, epoch: IsoDate, now: Date, calendar: TradingCalendar): LoadedState {
  const empty: ListState = { list, epoch, sequence: 0, rows: [], timestamp: now.toISOString() };
  if (loaded.rows === null || loaded.rows.length === 0) {
    return { state: { ...empty, sequence: loaded.rows === null ? 0 : (loaded.sequence ?? 0) }, stale: false };
  }
  const produced = latestRowInstant(loaded.rows);
  const day = produced === null ? null : tradingDayOf(produced, calendar);
  if (produced === null || day === null || day < epoch) return { state: empty, stale: true };
  return {
    state: { list, epoch, sequence: loaded.sequence ?? 0, rows: loaded.rows, timestamp: produced.toISOString() },
    stale: false,
  };
}
