import { describe, expect, it } from 'vitest';
import { JumpingClock } from './jumping-clock.js';

describe('JumpingClock', () => {
  it('starts at the given instant and runs in real time', async () => {
    const clock = new JumpingClock('2025-11-26T07:55:00.000Z');
    const first = clock.now().getTime();
    expect(Math.abs(first - Date.parse('2025-11-26T07:55:00.000Z'))).toBeLessThan(1_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(clock.now().getTime()).toBeGreaterThan(first);
  });

  it('jumps forward and refuses to go back or to take garbage', () => {
    const clock = new JumpingClock('2025-11-26T07:55:00.000Z');
    clock.jumpTo('2025-11-26T08:20:00.000Z');
    expect(Math.abs(clock.now().getTime() - Date.parse('2025-11-26T08:20:00.000Z'))).toBeLessThan(1_000);
    expect(() => clock.jumpTo('2025-11-26T07:00:00.000Z')).toThrow(RangeError);
    expect(() => new JumpingClock('not a date')).toThrow(RangeError);
  });
});
