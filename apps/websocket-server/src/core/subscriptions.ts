import type { ScannerList } from '@scanner/shared-types';
import { NO_SEQUENCE } from './client-delivery.js';

export interface Subscription {
  /** The sequence the client holds; NO_SEQUENCE until its first snapshot. */
  sequence: number;
  /** Waiting for the list to load: list updates skip it, the snapshot after the load covers them. */
  pending: boolean;
}

export type SubscribeOutcome = 'added' | 'already_subscribed' | 'limit_reached';

/** One connection's lists, capped so a client cannot make the server fan out to it without bound. */
export class Subscriptions {
  private readonly byList = new Map<ScannerList, Subscription>();

  constructor(private readonly max: number) {}

  add(list: ScannerList): SubscribeOutcome {
    const existing = this.byList.get(list);
    if (existing !== undefined) {
      existing.pending = true;
      existing.sequence = NO_SEQUENCE;
      return 'already_subscribed';
    }
    if (this.byList.size >= this.max) return 'limit_reached';
    this.byList.set(list, { sequence: NO_SEQUENCE, pending: true });
    return 'added';
  }

  remove(list: ScannerList): boolean {
    return this.byList.delete(list);
  }

  get(list: ScannerList): Subscription | undefined {
    return this.byList.get(list);
  }

  lists(): ScannerList[] {
    return [...this.byList.keys()];
  }

  get size(): number {
    return this.byList.size;
  }

  /** After a new day the client has dropped its tables: every list starts again from a snapshot. */
  resetSequences(): void {
    for (const subscription of this.byList.values()) subscription.sequence = NO_SEQUENCE;
  }
}
