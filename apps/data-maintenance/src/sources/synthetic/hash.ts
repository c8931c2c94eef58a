/**
 * Stateless pseudo-randomness: every number the synthetic source uses is a hash of (seed, ticker,
 * day, bar, purpose), so any (ticker, date) can be generated on its own, in any order, with the same
 * result. No generator state is carried from one value to the next.
 */

const TWO_POW_32 = 4_294_967_296;

/** murmur3's 32-bit finalizer: full avalanche, so neighbouring inputs give unrelated outputs. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a string (symbols, seeds given as text). */
export function hashString(text: string): number {
  let h = 0x811c_9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x0100_0193);
  }
  return fmix32(h >>> 0);
}

/** Combines integers (32-bit each) into one well-mixed 32-bit hash. */
export function hashInts(...parts: readonly number[]): number {
  let h = 0x9e37_79b9;
  for (const part of parts) {
    h = fmix32((h ^ Math.imul(part | 0, 0x9e37_79b1)) + 0x7f4a_7c15);
  }
  return h;
}

/** A number in [0, 1) from a hash. */
export function unitOf(hash: number): number {
  return hash / TWO_POW_32;
}

/** A uniform number in [0, 1) for the given parts. */
export function uniform(...parts: readonly number[]): number {
  return unitOf(hashInts(...parts));
}

/** A standard normal number for the given parts (Box-Muller on two derived uniforms). */
export function normal(...parts: readonly number[]): number {
  const h = hashInts(...parts);
  // +0.5 keeps u1 away from 0, where log() would be infinite.
  const u1 = (h + 0.5) / TWO_POW_32;
  const u2 = unitOf(fmix32(h ^ 0x5bd1_e995));
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
