import { describe, expect, it } from 'vitest';
import { SerialLane } from './serial-lane.js';

describe('SerialLane', () => {
  it('runs one job at a time, in the order given, and a failure does not stop the next', async () => {
    const lane = new SerialLane();
    const log: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = lane.run(async () => {
      log.push('first start');
      await held;
      log.push('first end');
      return 1;
    });
    const second = lane.run(async () => {
      log.push('second');
      throw new Error('boom');
    });
    const third = lane.run(async () => {
      log.push('third');
      return 3;
    });
    await Promise.resolve();
    expect(log).toEqual(['first start']);
    release();
    expect(await first).toBe(1);
    await expect(second).rejects.toThrow('boom');
    expect(await third).toBe(3);
    expect(log).toEqual(['first start', 'first end', 'second', 'third']);
  });
});
