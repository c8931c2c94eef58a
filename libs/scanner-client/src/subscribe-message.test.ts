import { describe, expect, it } from 'vitest';
import { parseClientMessage } from '@scanner/shared-types';
import { resumePointOf, subscribeMessage } from './subscribe-message.js';

describe('subscribeMessage', () => {
  it('resumes from the held epoch and sequence, in a frame the server parses back to the same message', () => {
    const message = subscribeMessage('winners', { epoch: '2025-11-26', sequence: 43 });
    expect(message).toEqual({ action: 'subscribe_list', list: 'winners', resume: { epoch: '2025-11-26', sequence: 43 } });
    expect(parseClientMessage(JSON.stringify(message))).toEqual({ ok: true, value: message });
  });

  it('omits resume without a complete state (never subscribed, or emptied by a new day)', () => {
    expect(subscribeMessage('losers', { epoch: null, sequence: null })).toEqual({ action: 'subscribe_list', list: 'losers' });
    expect(subscribeMessage('losers', { epoch: '2025-11-27', sequence: null })).toEqual({ action: 'subscribe_list', list: 'losers' });
    expect(resumePointOf({ epoch: null, sequence: 3 })).toBeNull();
  });

  it('resumes at sequence 0 (a list nobody has written today)', () => {
    expect(resumePointOf({ epoch: '2025-11-26', sequence: 0 })).toEqual({ epoch: '2025-11-26', sequence: 0 });
  });
});
