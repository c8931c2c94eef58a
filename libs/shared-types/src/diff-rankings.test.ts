import { describe, expect, it } from 'vitest';
import { applyRankingDeltas } from './apply-ranking-deltas.js';
import { diffRankings } from './diff-rankings.js';
import type { RankingDelta } from './ranking-delta.js';
import type { ScannerRow } from './scanner-row.js';

const T0 = '2026-11-20T14:30:00.000Z';
const T1 = '2026-11-20T14:30:02.000Z';

const row = (symbol: string, rank: number, price: number, timestamp = T0): ScannerRow => ({
  symbol,
  rank,
  timestamp,
  price,
  change_percent: price / 10,
});

function roundTrip(prev: readonly ScannerRow[], next: readonly ScannerRow[]): ScannerRow[] {
  const applied = applyRankingDeltas(prev, diffRankings(prev, next), T1);
  if (!applied.ok) throw new Error(`round trip failed: ${applied.error.message}`);
  return applied.value;
}

describe('diffRankings by hand', () => {
  const prev = [row('AAA', 1, 10), row('BBB', 2, 20), row('CCC', 3, 30), row('DDD', 4, 40)];

  it('gives nothing for identical lists, whatever the field order', () => {
    const reordered = prev.map(({ symbol, rank, timestamp, price, change_percent }) => ({
      change_percent,
      price,
      timestamp,
      rank,
      symbol,
    }));
    expect(diffRankings(prev, reordered)).toEqual([]);
    expect(diffRankings([], [])).toEqual([]);
  });

  it('emits removes, then reranks, then adds and updates, in rank order', () => {
    const next = [row('CCC', 1, 30), row('EEE', 2, 50, T1), row('AAA', 3, 11, T1), row('DDD', 4, 40)];
    const expected: RankingDelta[] = [
      { action: 'remove', symbol: 'BBB' },
      { action: 'rerank', symbol: 'CCC', old_rank: 3, new_rank: 1 },
      { action: 'add', rank: 2, symbol: 'EEE', data: { timestamp: T1, price: 50, change_percent: 5 } },
      { action: 'update', rank: 3, symbol: 'AAA', data: { timestamp: T1, price: 11, change_percent: 1.1 } },
    ];
    expect(diffRankings(prev, next)).toEqual(expected);
    expect(roundTrip(prev, next)).toEqual(next);
  });

  it('sends a row that moved and changed as one update with its new rank, not a rerank too', () => {
    const next = [row('BBB', 1, 21, T1), row('AAA', 2, 10), row('CCC', 3, 30), row('DDD', 4, 40)];
    expect(diffRankings(prev, next)).toEqual([
      { action: 'rerank', symbol: 'AAA', old_rank: 1, new_rank: 2 },
      { action: 'update', rank: 1, symbol: 'BBB', data: { timestamp: T1, price: 21, change_percent: 2.1 } },
    ]);
  });

  it('counts a new timestamp alone as a change, so the round trip keeps when each row was produced', () => {
    const next = prev.map((r) => ({ ...r, timestamp: T1 }));
    const deltas = diffRankings(prev, next);
    expect(deltas.map((d) => d.action)).toEqual(['update', 'update', 'update', 'update']);
    expect(roundTrip(prev, next)).toEqual(next);
  });

  it('notices a field that appears, disappears or changes inside a nested value', () => {
    const base = [{ ...row('AAA', 1, 10), tags: ['halt'] }];
    expect(diffRankings(base, [{ ...row('AAA', 1, 10), tags: ['halt', 'news'] }])).toHaveLength(1);
    expect(diffRankings(base, [{ ...row('AAA', 1, 10) }])).toHaveLength(1);
    expect(diffRankings(base, [{ ...row('AAA', 1, 10), tags: ['halt'], float: null }])).toHaveLength(1);
    expect(diffRankings(base, [{ ...row('AAA', 1, 10), tags: ['halt'] }])).toEqual([]);
  });

  it('empties a list and fills an empty one', () => {
    expect(diffRankings(prev, []).map((d) => d.action)).toEqual(['remove', 'remove', 'remove', 'remove']);
    expect(roundTrip(prev, [])).toEqual([]);
    expect(diffRankings([], prev).map((d) => d.action)).toEqual(['add', 'add', 'add', 'add']);
    expect(roundTrip([], prev)).toEqual(prev);
  });

  it('reads prev in any order and does not modify its inputs', () => {
    const shuffled = [prev[2], prev[0], prev[3], prev[1]] as ScannerRow[];
    const next = [row('DDD', 1, 40), row('CCC', 2, 30), row('BBB', 3, 20), row('AAA', 4, 10)];
    const before = structuredClone([shuffled, next]);
    expect(roundTrip(shuffled, next)).toEqual(next);
    expect([shuffled, next]).toEqual(before);
  });
});

/** mulberry32: a tiny seeded PRNG, so a failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const POOL = Array.from({ length: 60 }, (_, i) => `S${String(i).padStart(2, '0')}`);

/** A random ranked list drawn from a small pool, so consecutive lists share many symbols. */
function randomList(random: () => number, base: readonly ScannerRow[]): ScannerRow[] {
  const size = Math.floor(random() * 40);
  const previous = new Map(base.map((r) => [r.symbol, r]));
  const symbols = [...POOL];
  for (let i = symbols.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [symbols[i], symbols[j]] = [symbols[j] as string, symbols[i] as string];
  }
  symbols.length = size;
  return symbols.map((symbol, index) => {
    const old = previous.get(symbol);
    // Keep a row's data half the time, so reranks and untouched rows happen, not only updates.
    if (old && random() < 0.5) return { ...old, rank: index + 1 };
    return {
      symbol,
      rank: index + 1,
      timestamp: random() < 0.5 ? T0 : T1,
      price: Math.round(random() * 50_000) / 100,
      volume: Math.floor(random() * 1e7),
      ...(random() < 0.2 ? { halted: random() < 0.5 } : {}),
    };
  });
}

describe('diffRankings round trip (property over seeded random lists)', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('seed %i: applying the diff of prev to next gives next', (seed) => {
    const random = prng(seed);
    let prev = randomList(random, []);
    for (let step = 0; step < 25; step++) {
      const next = randomList(random, prev);
      const deltas = diffRankings(prev, next);
      expect(roundTrip(prev, next)).toEqual(next);

      // The shape the brief fixes: removes, then reranks, then adds/updates; nothing for an unchanged row.
      const order = deltas.map((d) => (d.action === 'remove' ? 0 : d.action === 'rerank' ? 1 : 2));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      const touched = new Set(deltas.map((d) => d.symbol));
      expect(touched.size).toBe(deltas.length);
      const prevBySymbol = new Map(prev.map((r) => [r.symbol, r]));
      for (const r of next) {
        const old = prevBySymbol.get(r.symbol);
        if (old !== undefined && JSON.stringify(old) === JSON.stringify(r)) expect(touched.has(r.symbol)).toBe(false);
      }
      prev = next;
    }
  });
});
