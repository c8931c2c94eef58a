import { describe, expect, it } from 'vitest';
import { NO_SEQUENCE, canResume, decideDelivery } from './client-delivery.js';

const decide = (clientSequence: number, stateSequence: number, deltaSequence: number | null, force = false) =>
  decideDelivery({ clientSequence, stateSequence, deltaSequence, force });

describe('decideDelivery', () => {
  it('delivers a delta to a client at exactly the previous sequence', () => {
    expect(decide(9, 10, 10)).toEqual({ kind: 'delta' });
  });

  it('sends one snapshot on a gap, after which the next delta fits', () => {
    expect(decide(5, 10, 10)).toEqual({ kind: 'snapshot', reason: 'gap' });
    // The client is now at 10: the next delta (11) is delivered, no second snapshot.
    expect(decide(10, 11, 11)).toEqual({ kind: 'delta' });
  });

  it('resets a client that is ahead of the server (upstream restarted)', () => {
    expect(decide(4179, 1, null)).toEqual({ kind: 'snapshot', reason: 'reset' });
    expect(decide(4179, 2, 2)).toEqual({ kind: 'snapshot', reason: 'reset' });
  });

  it('sends nothing to a client already at the state', () => {
    expect(decide(10, 10, null)).toEqual({ kind: 'none' });
  });

  it('gives a client that holds nothing a snapshot', () => {
    expect(decide(NO_SEQUENCE, 0, null)).toEqual({ kind: 'snapshot', reason: 'gap' });
  });

  it('always sends the snapshot when forced', () => {
    expect(decide(10, 10, null, true)).toEqual({ kind: 'snapshot', reason: 'forced' });
  });
});

describe('canResume', () => {
  it('needs the same epoch and sequence', () => {
    const state = { epoch: '2025-11-26', sequence: 42 };
    expect(canResume({ epoch: '2025-11-26', sequence: 42 }, state)).toBe(true);
    expect(canResume({ epoch: '2025-11-25', sequence: 42 }, state)).toBe(false);
    expect(canResume({ epoch: '2025-11-26', sequence: 41 }, state)).toBe(false);
    expect(canResume(undefined, state)).toBe(false);
  });
});
