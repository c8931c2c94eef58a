import { describe, expect, it } from 'vitest';
import { createRandom, seedState } from './random.js';

const draw = (state: number, n: number) => {
  const random = createRandom(state);
  return Array.from({ length: n }, () => random.next());
};

describe('createRandom', () => {
  it('repeats its sequence from the same state and differs across seeds', () => {
    expect(draw(seedState(7), 50)).toEqual(draw(seedState(7), 50));
    expect(draw(seedState(7), 50)).not.toEqual(draw(seedState(8), 50));
  });

  it('resumes from state() exactly where it left off', () => {
    const random = createRandom(seedState(3));
    random.next();
    random.normal();
    const resumed = createRandom(random.state());
    expect(Array.from({ length: 10 }, () => resumed.next())).toEqual(Array.from({ length: 10 }, () => random.next()));
  });

  it('draws uniforms in [0, 1), integers in range and normals with mean 0 and sd 1', () => {
    const random = createRandom(seedState(11));
    const uniforms = Array.from({ length: 20_000 }, () => random.next());
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniforms)).toBeLessThan(1);
    const ints = new Set(Array.from({ length: 2_000 }, () => random.int(3, 6)));
    expect([...ints].sort()).toEqual([3, 4, 5, 6]);
    const normals = Array.from({ length: 20_000 }, () => random.normal());
    const mean = normals.reduce((a, b) => a + b, 0) / normals.length;
    const sd = Math.sqrt(normals.reduce((a, b) => a + (b - mean) ** 2, 0) / normals.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(sd - 1)).toBeLessThan(0.05);
    expect(normals.every(Number.isFinite)).toBe(true);
  });
});
