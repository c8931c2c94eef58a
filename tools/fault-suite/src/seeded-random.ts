/**
 * A seeded generator (mulberry32): the same seed gives the same draws on every machine, so a failing
 * case found by a random run (garbage entries, fuzzed frames, kill instants) can be replayed from the
 * seed printed with it. Math.random cannot be seeded.
 */
export interface SeededRandom {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** `length` characters drawn from `alphabet`. */
  text(length: number, alphabet?: string): string;
}

export type SeededRandomErrorCode = 'INVALID_SEED' | 'INVALID_RANGE' | 'EMPTY_PICK';

/** A RangeError with a stable code: a bad seed is refused, never silently replaced by a random one. */
export class SeededRandomError extends RangeError {
  override readonly name = 'SeededRandomError';
  constructor(
    readonly code: SeededRandomErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 {}[]":,.-_\\/\'\u00e9\u4e2d\u{1F600}';

/** `seed` is a whole number from 0 to 2^32 - 1 (the generator's whole state). */
export function seededRandom(seed: number): SeededRandom {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new SeededRandomError('INVALID_SEED', `a seed is a whole number from 0 to 4294967295, got ${seed}`);
  }
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number): number => {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) throw new SeededRandomError('INVALID_RANGE', `bad range ${min}..${max}`);
    return min + Math.floor(next() * (max - min + 1));
  };
  return {
    seed,
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new SeededRandomError('EMPTY_PICK', 'pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    chance: (probability) => next() < probability,
    text(length, alphabet = DEFAULT_ALPHABET) {
      const chars = [...alphabet];
      let out = '';
      for (let i = 0; i < length; i++) out += chars[int(0, chars.length - 1)];
      return out;
    },
  };
}
