/** A client's sequence for a list before it holds any rows for it (new subscription, after a new day). */
export const NO_SEQUENCE = -1;

export type Delivery =
  | { readonly kind: 'delta' }
  | { readonly kind: 'snapshot'; readonly reason: 'gap' | 'reset' | 'forced' }
  | { readonly kind: 'none' };

export interface DeliveryInput {
  /** The sequence the client holds for the list (NO_SEQUENCE when it holds nothing). */
  readonly clientSequence: number;
  /** The sequence of the server's state after the update. */
  readonly stateSequence: number;
  /** The delta's sequence when the update was a delta, else null. */
  readonly deltaSequence: number | null;
  /** The state was replaced wholesale (restart, reload): every subscriber gets it. */
  readonly force: boolean;
}

/**
 * What a subscriber gets for one list update. A delta only fits a client at exactly the previous
 * sequence; otherwise the client gets the current state once (a gap, or a reset when the client is
 * ahead of the server: upstream restarted). After either the client is at the state's sequence, so the
 * next delta fits: one snapshot per discontinuity, never a loop.
 */
export function decideDelivery({ clientSequence, stateSequence, deltaSequence, force }: DeliveryInput): Delivery {
  if (force) return { kind: 'snapshot', reason: 'forced' };
  if (deltaSequence !== null && clientSequence === deltaSequence - 1) return { kind: 'delta' };
  if (clientSequence === stateSequence) return { kind: 'none' };
  if (clientSequence > stateSequence) return { kind: 'snapshot', reason: 'reset' };
  return { kind: 'snapshot', reason: 'gap' };
}

/** A resuming client at exactly the current state needs no snapshot. */
export function canResume(resume: { readonly epoch: string; readonly sequence: number } | undefined, state: { readonly epoch: string; readonly sequence: number }): boolean {
  return resume !== undefined && resume.epoch === state.epoch && resume.sequence === state.sequence;
}
