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
