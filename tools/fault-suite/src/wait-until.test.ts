import { describe, expect, it } from 'vitest';
import { waitFor, within } from './wait-until.js';

describe('waitFor', () => {
  it('returns the first value that is not undefined, null or false', async () => {
    const answers: unknown[] = [undefined, null, false, 0];
    await expect(waitFor('a value', () => answers.shift() as number | undefined)).resolves.toBe(0);
  });

  it('awaits an async check', async () => {
    let calls = 0;
    await expect(waitFor('the third call', async () => ++calls === 3 && 'ready')).resolves.toBe('ready');
    expect(calls).toBe(3);
  });

  it('fails naming what it waited for', async () => {
    await expect(waitFor('the impossible', () => false, 30)).rejects.toThrow('timed out after 30 ms waiting for the impossible');
  });
});

describe('within', () => {
  it('passes a settled value through', async () => {
    await expect(within('a quick answer', Promise.resolve(7))).resolves.toBe(7);
  });

  it('fails naming what did not settle', async () => {
    await expect(within('a promise that never settles', new Promise(() => undefined), 30)).rejects.toThrow('timed out after 30 ms waiting for a promise that never settles');
  });
});
