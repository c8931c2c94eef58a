import { describe, expect, it } from 'vitest';
import { SingleFlight } from './single-flight.js';

describe('SingleFlight', () => {
  it('shares one call among concurrent callers of a key', async () => {
    const flight = new SingleFlight<string, number>();
    let calls = 0;
    let release: (v: number) => void = () => undefined;
    const work = () => {
      calls++;
      return new Promise<number>((resolve) => {
        release = resolve;
      });
    };
    const a = flight.run('winners', work);
    const b = flight.run('winners', work);
    expect(flight.has('winners')).toBe(true);
    await Promise.resolve();
    release(42);
    expect(await Promise.all([a, b])).toEqual([42, 42]);
    expect(calls).toBe(1);
    expect(flight.has('winners')).toBe(false);
  });

  it('runs different keys separately', async () => {
    const flight = new SingleFlight<string, string>();
    const results = await Promise.all([flight.run('a', async () => 'A'), flight.run('b', async () => 'B')]);
    expect(results).toEqual(['A', 'B']);
  });

  it('forgets a failure, so the next caller tries again', async () => {
    const flight = new SingleFlight<string, number>();
    await expect(
      flight.run('k', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(flight.size).toBe(0);
    await expect(flight.run('k', async () => 1)).resolves.toBe(1);
  });
});
