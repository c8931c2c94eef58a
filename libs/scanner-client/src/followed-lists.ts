import { type ClientMessage, SCANNER_LISTS, type ScannerList, isScannerList } from '@scanner/shared-types';
import { CLIENT_ERROR_CODES, ScannerClientError } from './errors.js';
import { type ListState, initialListState, subscribing } from './list-table.js';

/** The lists a client follows, as far as these decisions need them (the client's Map of list states fits). */
export interface FollowedLists {
  has(list: ScannerList): boolean;
}

export type FollowDecision =
  /** Already followed: nothing changes, nothing is sent (the held table and its subscription go on). */
  | { readonly kind: 'unchanged' }
  /** Start following: hold `state`, and send `send` now (null while no socket is open: the next open subscribes it). */
  | { readonly kind: 'follow'; readonly state: ListState; readonly send: ClientMessage | null };

export type UnfollowDecision =
  | { readonly kind: 'unchanged' }
  /** Stop following: drop the list's table, and send `send` now (null while no socket is open: nothing to cancel). */
  | { readonly kind: 'unfollow'; readonly list: ScannerList; readonly send: ClientMessage | null };

const UNCHANGED = { kind: 'unchanged' } as const;

/** A list name from the caller, or ScannerClientError UNKNOWN_LIST: a typo must not pass silently as "not followed". */
export function checkListName(list: unknown, operation: string): ScannerList {
  if (isScannerList(list)) return list;
  throw new ScannerClientError(CLIENT_ERROR_CODES.UNKNOWN_LIST, `${operation}: unknown list ${JSON.stringify(list)}; expected one of ${SCANNER_LISTS.join(', ')}`);
}

/**
 * subscribe(list) at runtime. A newly followed list starts from an empty table (epoch and sequence
 * null), so its subscribe carries no resume and the server sends the snapshot. Following a list again
 * is a no-op: re-sending subscribe_list would only cost a snapshot the client does not need.
 */
export function follow(followed: FollowedLists, list: unknown, open: boolean): FollowDecision {
  const name = checkListName(list, 'subscribe');
  if (followed.has(name)) return UNCHANGED;
  const fresh = initialListState(name);
  if (!open) return { kind: 'follow', state: fresh, send: null };
  const step = subscribing(fresh);
  return { kind: 'follow', state: step.state, send: step.send };
}

/**
 * unsubscribe(list) at runtime. Once the table is dropped every later frame of the list (one already in
 * flight included) finds no state and is ignored; a reconnect subscribes only what is still followed.
 */
export function unfollow(followed: FollowedLists, list: unknown, open: boolean): UnfollowDecision {
  const name = checkListName(list, 'unsubscribe');
  if (!followed.has(name)) return UNCHANGED;
  return { kind: 'unfollow', list: name, send: open ? { action: 'unsubscribe_list', list: name } : null };
}
