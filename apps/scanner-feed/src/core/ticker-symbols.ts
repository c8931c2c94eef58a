import type { Random } from './random.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * `count` distinct symbols that look like US listings: mostly 3-4 capital letters (NYSE and Nasdaq
 * common stock), a few of 1-2 letters, sorted so the universe reads like an exchange list.
 */
export function generateSymbols(random: Random, count: number): string[] {
  const symbols = new Set<string>();
  while (symbols.size < count) {
    const roll = random.next();
    const length = roll < 0.03 ? 1 : roll < 0.1 ? 2 : roll < 0.5 ? 3 : 4;
    let symbol = '';
    for (let i = 0; i < length; i++) symbol += LETTERS[random.int(0, LETTERS.length - 1)];
    // A symbol drawn twice is simply drawn again: 3-4 letters leave room for 475,000 of them.
    symbols.add(symbol);
  }
  return [...symbols].sort();
}
