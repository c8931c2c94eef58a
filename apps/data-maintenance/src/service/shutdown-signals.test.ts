import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { shutdownSignals } from './shutdown-signals.js';

class FakeProcess extends EventEmitter {
  exits: number[] = [];
  exit(code: number): never {
    this.exits.push(code);
    return undefined as never;
  }
}

describe('shutdownSignals', () => {
  it('settles with the first SIGTERM or SIGINT, and exits at once on a second one', async () => {
    const proc = new FakeProcess();
    const seconds: string[] = [];
    const stop = shutdownSignals(proc, (signal) => seconds.push(signal));
    proc.emit('SIGINT', 'SIGINT');
    expect(await stop).toBe('SIGINT');
    expect(proc.exits).toEqual([]);
    proc.emit('SIGTERM', 'SIGTERM');
    expect(seconds).toEqual(['SIGTERM']);
    expect(proc.exits).toEqual([1]);
  });
});
