import type { ResumePoint, ScannerList, SubscribeListMessage } from '@scanner/shared-types';

/** The part of a table a resume needs. */
export interface HeldPosition {
  readonly epoch: string | null;
  readonly sequence: number | null;
}

/**
 * Where the client left off, or null when it holds no complete state (never subscribed, or a new day
 * emptied the table): then the server must send a snapshot anyway, and a resume would only mislead.
 */
export function resumePointOf(held: HeldPosition): ResumePoint | null {
  if (held.epoch === null || held.sequence === null) return null;
  return { epoch: held.epoch, sequence: held.sequence };
}

/** `subscribe_list`, with `resume` when the client holds a state the server may be able to continue (protocol 4.3). */
export function subscribeMessage(list: ScannerList, held: HeldPosition): SubscribeListMessage {
  const resume = resumePointOf(held);
  return resume === null ? { action: 'subscribe_list', list } : { action: 'subscribe_list', list, resume };
}
