import type { ListTable, TableUpdate } from '@scanner/scanner-client';

/** What a card draws at the next frame: the newest table, and every symbol that changed since the last frame. */
export interface PendingUpdate {
  readonly table: ListTable;
  readonly changed: ReadonlySet<string>;
  readonly kind: TableUpdate['kind'];
  /** A reset happened since the last frame: the rows that follow are a new day's, not changes to flash. */
  readonly sawReset: boolean;
}

/**
 * Folds an update into the one waiting for the next animation frame. A list can update several times
 * between two frames (a burst after a reconnect, a slow machine); drawing only the last table with the
 * union of the changes keeps the page's work bounded by its frame rate, not by the feed's.
 */
export function mergeUpdate(pending: PendingUpdate | undefined, update: TableUpdate): PendingUpdate {
  const reset = update.kind === 'reset';
  if (pending === undefined || reset) return { table: update.table, changed: new Set(update.changed), kind: update.kind, sawReset: reset || (pending?.sawReset ?? false) };
  return {
    table: update.table,
    changed: new Set([...pending.changed, ...update.changed]),
    kind: update.kind,
    sawReset: pending.sawReset,
  };
}
