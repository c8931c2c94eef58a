import { isValidSymbol } from '@scanner/redis-keys';
import { describe, expect, it } from 'vitest';
import { createRandom, seedState } from './random.js';
import { generateSymbols } from './ticker-symbols.js';

describe('generateSymbols', () => {
  it('gives distinct, sorted, valid US-style symbols, mostly of 3-4 capital letters', () => {
    const symbols = generateSymbols(createRandom(seedState(1)), 600);
    expect(symbols).toHaveLength(600);
    expect(new Set(symbols).size).toBe(600);
    expect(symbols).toEqual([...symbols].sort());
    expect(symbols.every((s) => /^[A-Z]{1,4}$/.test(s) && isValidSymbol(s))).toBe(true);
    expect(symbols.filter((s) => s.length >= 3).length).toBeGreaterThan(0.85 * 600);
  });

  it('fills a production-size universe without running out of short names', () => {
    expect(new Set(generateSymbols(createRandom(seedState(2)), 12_000)).size).toBe(12_000);
  });

  it('depends only on the random state', () => {
    expect(generateSymbols(createRandom(seedState(5)), 100)).toEqual(generateSymbols(createRandom(seedState(5)), 100));
    expect(generateSymbols(createRandom(seedState(5)), 100)).not.toEqual(generateSymbols(createRandom(seedState(6)), 100));
  });
});
