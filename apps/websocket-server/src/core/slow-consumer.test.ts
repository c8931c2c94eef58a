import { describe, expect, it } from 'vitest';
import { HEALTHY, type SlowConsumerState, drainedBytes, evaluateSlowConsumer } from './slow-consumer.js';

const limits = { highWatermarkBytes: 1000, hardLimitBytes: 4000, hardLimitMs: 500, maxLagMs: 10_000 };
const run = (state: SlowConsumerState, buffered: number, now: number) => evaluateSlowConsumer(state, buffered, now, limits);

describe('evaluateSlowConsumer', () => {
  it('sends while under the high watermark', () => {
    expect(run(HEALTHY, 999, 0)).toEqual({ state: HEALTHY, action: 'send' });
  });

  it('starts lagging at the high watermark and skips until drained', () => {
    const lagging = run(HEALTHY, 1000, 0);
    expect(lagging.action).toBe('start_lagging');
    expect(run(lagging.state, 600, 10).action).toBe('skip');
    expect(run(lagging.state, drainedBytes(limits) + 1, 10).action).toBe('skip');
  });

  it('recovers once drained to a quarter of the watermark', () => {
    const lagging = run(HEALTHY, 1500, 0).state;
    expect(run(lagging, drainedBytes(limits), 50)).toEqual({ state: HEALTHY, action: 'recover' });
  });

  it('closes only after staying over the hard limit for hardLimitMs', () => {
    const first = run(HEALTHY, 5000, 1000);
    expect(first.action).toBe('start_lagging');
    expect(first.state.overHardLimitSince).toBe(1000);
    expect(run(first.state, 5000, 1499).action).toBe('skip');
    expect(run(first.state, 5000, 1500).action).toBe('close');
  });

  it('restarts the hard-limit clock when the buffer dips below it', () => {
    const over = run(HEALTHY, 5000, 0).state;
    const dipped = run(over, 3000, 400).state;
    expect(dipped.overHardLimitSince).toBeNull();
    const overAgain = run(dipped, 5000, 600);
    expect(overAgain.action).toBe('skip');
    expect(run(overAgain.state, 5000, 1000).action).toBe('skip');
    expect(run(overAgain.state, 5000, 1100).action).toBe('close');
  });

  it('closes a client that has lagged for maxLagMs, even under the hard limit', () => {
    const lagging = run(HEALTHY, 1500, 0).state;
    expect(lagging.laggingSince).toBe(0);
    expect(run(lagging, 1500, 9_999).action).toBe('skip');
    expect(run(lagging, 1500, 10_000).action).toBe('close');
    expect(run(lagging, 5000, 10_000).action).toBe('close');
  });

  it('starts the lag clock again after a recovery', () => {
    const lagging = run(HEALTHY, 1500, 0).state;
    const recovered = run(lagging, 0, 9_000);
    expect(recovered).toEqual({ state: HEALTHY, action: 'recover' });
    const again = run(recovered.state, 1500, 9_500);
    expect(again.action).toBe('start_lagging');
    expect(run(again.state, 1500, 19_000).action).toBe('skip');
  });
});
