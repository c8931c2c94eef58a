import type { IsoDate } from '@scanner/market-calendar';

/**
 * initial: the server learns its first epoch (nothing to clear); advance: a new trading day;
 * same: already applied (Pub/Sub and the level check both report it); older: a late or replayed message.
 */
export type NewDayDecision = 'initial' | 'advance' | 'same' | 'older';

export function decideNewDay(current: IsoDate | null, announced: IsoDate): NewDayDecision {
  if (current === null) return 'initial';
  if (announced === current) return 'same';
  return announced > current ? 'advance' : 'older';
}

/**
 * What the trading day of an upstream stream entry says about the epoch. Upstream writing data of a
 * later day than the epoch proves the day has turned even when no announcement came (the maintenance
 * service down at 03:00): the server advances on its own rather than label today's rows with
 * yesterday's epoch. A day beyond the server's own clock is a broken timestamp, never a reason to move
 * the epoch (it would make every real entry look stale).
 */
export type EntryDayVerdict = 'current' | 'stale' | 'advance' | 'future';

export function classifyEntryDay(entryDay: IsoDate, epoch: IsoDate, today: IsoDate): EntryDayVerdict {
  if (entryDay > today) return 'future';
  if (entryDay < epoch) return 'stale';
  return entryDay > epoch ? 'advance' : 'current';
}
