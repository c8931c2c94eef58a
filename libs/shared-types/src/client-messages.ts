import type { IsoDate } from '@scanner/market-calendar';
import type { ScannerList } from './scanner-lists.js';

/** Where a reconnecting client left off: the server resumes with deltas when it can, else sends a snapshot. */
export interface ResumePoint {
  readonly epoch: IsoDate;
  readonly sequence: number;
}

export interface SubscribeListMessage {
  readonly action: 'subscribe_list';
  readonly list: ScannerList;
  readonly resume?: ResumePoint;
}

export interface UnsubscribeListMessage {
  readonly action: 'unsubscribe_list';
  readonly list: ScannerList;
}

export interface ResyncMessage {
  readonly action: 'resync';
  readonly list: ScannerList;
}

export interface PingMessage {
  readonly action: 'ping';
}

/** A client frame after parsing: aliases are already resolved to these canonical actions. */
export type ClientMessage = SubscribeListMessage | UnsubscribeListMessage | ResyncMessage | PingMessage;

export type ClientAction = ClientMessage['action'];

/** The names the original frontend used, accepted and mapped to the canonical action. */
export const CLIENT_ACTION_ALIASES: ReadonlyMap<string, ClientAction> = new Map([
  ['subscribe', 'subscribe_list'],
  ['unsubscribe', 'unsubscribe_list'],
]);

/**
 * The largest client frame the parser reads, in UTF-16 code units. Every valid message is a few
 * hundred bytes; the cap bounds the work a hostile frame can cause even if the socket limit is raised.
 */
export const MAX_CLIENT_MESSAGE_LENGTH = 4096;
