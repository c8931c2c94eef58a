import { afterEach, describe, expect, it, vi } from 'vitest';
import { Emitter } from './emitter.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Emitter', () => {
  it('delivers to every listener and stops after the returned function is called', () => {
    const emitter = new Emitter<{ n: number }>();
    const a: number[] = [];
    const b: number[] = [];
    const offA = emitter.on('n', (n) => a.push(n));
    emitter.on('n', (n) => b.push(n));
    emitter.emit('n', 1);
    offA();
    offA();
    emitter.emit('n', 2);
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
  });

  it('a throwing listener neither stops the others nor reaches the emitter; its error is rethrown apart', () => {
    const rethrown: (() => void)[] = [];
    vi.stubGlobal('queueMicrotask', (task: () => void) => rethrown.push(task));
    const emitter = new Emitter<{ n: number }>();
    const seen: number[] = [];
    emitter.on('n', () => {
      throw new Error('listener bug');
    });
    emitter.on('n', (n) => seen.push(n));
    expect(() => emitter.emit('n', 7)).not.toThrow();
    expect(seen).toEqual([7]);
    expect(rethrown).toHaveLength(1);
    expect(() => rethrown[0]?.()).toThrow('listener bug');
  });
});
